"""The web console in a real browser: the issue's scenarios, end to end."""

from __future__ import annotations

import http.client
import os
import json
import signal
import time
from urllib.parse import urlparse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import GRACE, ROOT, WAIT, login, login_page, notices, ticket_items, wait_for, wait_online

REFUND = ("--option", "approve", "--option", "reject", "--proposed", '{"amount":240,"currency":"USD"}',
          "--customer", '{"name":"Ada Lovelace","tier":"gold"}', "--context", "Order 1182 arrived damaged.",
          "--transcript", "customer: The vase was broken.", "--transcript", "agent: I am sorry to hear that.")


def outcome(process, timeout=WAIT) -> dict:
    out, err = process.communicate(timeout=timeout)
    assert out.strip(), f"helpline ask printed nothing; stderr: {err}"
    return json.loads(out.strip().splitlines()[-1])


def test_a_hila_accepts_edits_the_amount_and_sends(stack, browsers):
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    ask = stack.ask("Refund $240 for order 1182?\nThe customer sent photos.", *REFUND)

    wait_for(page, lambda d: len(ticket_items(d)) == 1, message="the ticket never appeared")
    item = ticket_items(page)[0]
    assert "Refund $240 for order 1182?" in item.text and "The customer sent photos" not in item.text
    assert "P0" in item.text and "refunds" in item.text
    timer = page.find_element(By.CSS_SELECTOR, "[data-timer]")
    first = timer.text
    assert first.startswith("accept ")
    wait_for(page, lambda d: d.find_element(By.CSS_SELECTOR, "[data-timer]").text != first, message="the timer does not count")

    detail = page.find_element(By.ID, "detail").text
    for shown in ("Order 1182 arrived damaged.", "The vase was broken.", "Ada Lovelace", "gold"):
        assert shown in detail
    page.find_element(By.ID, "act-accept").click()
    wait_for(page, lambda d: "Yours" in d.find_element(By.ID, "state-line").text, message="accept was not confirmed")
    wait_for(page, lambda d: d.find_element(By.CSS_SELECTOR, "[data-timer]").text.startswith("held "))

    amount = page.find_element(By.CSS_SELECTOR, '.proposal input[data-path="amount"]')
    amount.clear()
    amount.send_keys("200")
    assert page.find_element(By.ID, "send-edited").is_enabled()
    page.find_element(By.ID, "send-edited").click()

    wait_for(page, lambda d: "Sent: sent an edited proposal" in notices(d), message="never confirmed as sent")
    assert ticket_items(page) == []
    assert "Refund $240 for order 1182?" in page.find_element(By.ID, "answered").text
    result = outcome(ask)
    assert result["outcome"] == "answered" and result["decision"] == "edit" and result["worker"] == "ana"
    assert result["edited"] == {"amount": 200, "currency": "USD"}


def test_screenshot_of_the_console_for_the_readme(stack, browsers):
    stack.add_user("ana", skills=("refunds", "billing"))
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    stack.ask("Refund $240 for order 1182?", "--priority", "5", *REFUND)
    wait_for(page, lambda d: len(ticket_items(d)) == 1)
    page.find_element(By.ID, "act-accept").click()
    wait_for(page, lambda d: "Yours" in d.find_element(By.ID, "state-line").text)
    stack.ask("Customer asks to waive the $35 late fee on invoice 5521", "--option", "waive", "--option", "keep")
    stack.ask("Approve a partial refund of $60 for a cracked phone case", "--priority", "3", "--proposed", '{"amount":60}')
    wait_for(page, lambda d: len(ticket_items(d)) == 3)
    amount = page.find_element(By.CSS_SELECTOR, '.proposal input[data-path="amount"]')
    amount.clear()
    amount.send_keys("200")
    # The viewport, not the window, is 1280×800 in the picture.
    inner = page.execute_script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]")
    page.set_window_size(1280 + inner[0], 800 + inner[1])
    time.sleep(1.2)  # let the timers tick once, so they read as running
    # HELPLINE_WEB_SCREENSHOT=docs/console.png refreshes the README's picture.
    picture = os.environ.get("HELPLINE_WEB_SCREENSHOT")
    page.save_screenshot(str(ROOT / picture) if picture else str(stack.folder / "console.png"))
    assert page.execute_script("return [window.innerWidth, window.innerHeight]") == [1280, 800]


def test_reset_restores_the_proposal(stack, browsers):
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    stack.ask("Refund $240?", *REFUND)
    wait_for(page, lambda d: len(ticket_items(d)) == 1)
    amount = page.find_element(By.CSS_SELECTOR, '.proposal input[data-path="amount"]')
    amount.clear()
    amount.send_keys("1")
    page.find_element(By.ID, "reset-edited").click()
    assert page.find_element(By.CSS_SELECTOR, '.proposal input[data-path="amount"]').get_attribute("value") == "240"
    assert not page.find_element(By.ID, "send-edited").is_enabled()


def test_two_hilas_share_tickets_least_loaded_by_capacity(stack, browsers):
    stack.add_user("ana", capacity=4)
    stack.add_user("bob", capacity=2)
    stack.start_web()
    ana, bob = browsers.open(), browsers.open()
    login(ana, stack.url, "ana")
    login(bob, stack.url, "bob")
    for n in range(3):
        stack.ask(f"Refund #{n}?")
        # One at a time, so each offer sees the loads the previous one left.
        wait_for(ana, lambda d: len(ticket_items(d)) + len(ticket_items(bob)) == n + 1)
    # 0/4 vs 0/2 (a tie), then whoever is less loaded: ana ends with 2 of 4, bob 1 of 2.
    assert len(ticket_items(ana)) == 2
    assert len(ticket_items(bob)) == 1
    assert "2/4 held" in ana.find_element(By.ID, "load").text


def test_a_reload_keeps_the_ticket_and_closing_the_tab_reoffers_it(stack, browsers):
    stack.add_user("ana")
    stack.add_user("bob")
    stack.start_web()
    ana = browsers.open()
    login(ana, stack.url, "ana")
    ask = stack.ask("Refund $90?", "--option", "approve", "--option", "reject")
    wait_for(ana, lambda d: len(ticket_items(d)) == 1)
    ana.find_element(By.ID, "act-accept").click()
    wait_for(ana, lambda d: "Yours" in d.find_element(By.ID, "state-line").text)
    bob = browsers.open()
    login(bob, stack.url, "bob")

    ana.refresh()
    wait_online(ana)
    wait_for(ana, lambda d: len(ticket_items(d)) == 1 and "Yours" in d.find_element(By.ID, "state-line").text)
    time.sleep(GRACE + 0.5)  # past the grace: the reload must not have ended the registration
    assert len(ticket_items(ana)) == 1 and ticket_items(bob) == []

    browsers.close(ana)
    closed = time.monotonic()
    wait_for(bob, lambda d: len(ticket_items(d)) == 1, timeout=GRACE + 1, message="not re-offered within grace + 1 s")
    assert time.monotonic() - closed <= GRACE + 1
    bob.find_element(By.ID, "act-option-1").click()
    result = outcome(ask)
    assert result["outcome"] == "answered" and result["worker"] == "bob" and result["option"] == "approve"


def test_a_decision_on_a_ticket_the_agent_cancelled_is_refused_plainly_and_sent_once(stack, browsers):
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    ask = stack.ask("Refund $15?", "--option", "approve")
    wait_for(page, lambda d: len(ticket_items(d)) == 1)
    ticket_id = ticket_items(page)[0].get_attribute("data-id")
    page.find_element(By.ID, "act-accept").click()
    wait_for(page, lambda d: "Yours" in d.find_element(By.ID, "state-line").text)

    ask.send_signal(signal.SIGINT)  # the agent gives up: `helpline ask` cancels its ticket
    assert outcome(ask)["outcome"] == "cancelled"
    wait_for(page, lambda d: "the agent cancelled it" in notices(d), message="the cancellation was not said")
    assert ticket_items(page) == []

    # A decision that crossed the cancellation (sent from a tab that had not heard yet).
    replies = page.execute_async_script("""
        const [id, done] = arguments;
        const socket = new WebSocket(`ws://${location.host}/ws`);
        const seen = [];
        socket.onmessage = (e) => {
          const m = JSON.parse(e.data);
          seen.push(m);
          if (m.type === "state" && seen.length === 1) {
            socket.send(JSON.stringify({op: "decide", id, decision: "option", option: "approve"}));
            socket.send(JSON.stringify({op: "decide", id, decision: "option", option: "approve"}));
          }
          if (seen.filter((x) => x.type === "notice").length === 2) { socket.close(); done(seen); }
        };
        setTimeout(() => done(seen), 10000);
    """, ticket_id)
    said = [m["text"] for m in replies if m["type"] == "notice"]
    assert said == ["Not sent: the agent cancelled it."] * 2
    counts = stack.status()["counts"]
    assert counts["answered"] == 0 and counts["cancelled"] == 1


def test_wrong_password_no_session_and_a_foreign_origin_are_refused(stack, browsers):
    page = login_page(stack, browsers)
    for name, password in (("ana", "wrong password"), ("nobody", "correct horse 1")):
        page.find_element(By.ID, "login-name").clear()
        page.find_element(By.ID, "login-name").send_keys(name)
        page.find_element(By.ID, "login-password").clear()
        page.find_element(By.ID, "login-password").send_keys(password)
        page.find_element(By.ID, "login-submit").click()
        wait_for(page, lambda d: d.find_element(By.ID, "login-error").text != "")
        assert page.find_element(By.ID, "login-error").text == "Wrong name or password."
        page.execute_script("document.getElementById('login-error').textContent = ''")

    url = urlparse(stack.url)
    origin = f"http://{url.netloc}"

    def request(method, path, headers, body=None):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=WAIT)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        result = (response.status, response.getheader("Set-Cookie"), response.read())
        connection.close()
        return result

    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    # A refused handshake is not upgraded (Hummingbird answers 400); the same request without
    # the upgrade headers says why.
    status, _, _ = request("GET", "/ws", dict(upgrade, Origin=origin))
    assert status == 400  # no session: not upgraded
    status, _, body = request("GET", "/ws", {"Origin": origin})
    assert status == 401 and b"Not logged in" in body

    status, cookie, _ = request("POST", "/api/login", {"Origin": origin, "Content-Type": "application/json"},
                                json.dumps({"name": "ana", "password": "correct horse 1"}))
    assert status == 200
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    session = cookie.split(";")[0]
    status, _, _ = request("GET", "/ws", dict(upgrade, Origin="http://evil.example", Cookie=session))
    assert status == 400  # foreign origin, valid session: not upgraded
    status, _, _ = request("GET", "/ws", {"Origin": "http://evil.example", "Cookie": session})
    assert status == 403
    status, _, _ = request("GET", "/ws", dict(upgrade, Cookie=session))
    assert status == 400  # no Origin at all: not upgraded
    status, _, _ = request("GET", "/ws", dict(upgrade, Origin=origin, Cookie=session))
    assert status == 101  # the same request from the console's own origin is let in

    status, _, _ = request("POST", "/api/login", {"Origin": "http://evil.example", "Content-Type": "application/json"},
                           json.dumps({"name": "ana", "password": "correct horse 1"}))
    assert status == 403


def test_logins_are_rate_limited(stack):
    stack.add_user("ana")
    stack.start_web()
    url = urlparse(stack.url)
    statuses = []
    for password in ["bad"] * 6 + ["correct horse 1"]:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=WAIT)
        connection.request("POST", "/api/login", body=json.dumps({"name": "ana", "password": password}),
                           headers={"Origin": f"http://{url.netloc}", "Content-Type": "application/json"})
        statuses.append(connection.getresponse().status)
        connection.close()
    assert statuses == [401] * 5 + [429, 429]


def test_a_ticket_answered_with_the_keyboard_only(stack, browsers):
    page = login_page(stack, browsers)
    keys = ActionChains(page)
    keys.send_keys("ana", Keys.TAB, "correct horse 1", Keys.ENTER).perform()
    wait_online(page)
    first = stack.ask("Refund $20?", "--option", "approve", "--option", "reject")
    second = stack.ask("Refund $30?", "--option", "approve", "--option", "reject")
    wait_for(page, lambda d: len(ticket_items(d)) == 2)
    ActionChains(page).send_keys("j").perform()  # the second ticket
    ActionChains(page).send_keys("a").perform()
    wait_for(page, lambda d: "Yours" in d.find_element(By.ID, "state-line").text)
    ActionChains(page).send_keys("2").perform()  # its second option: reject
    wait_for(page, lambda d: "Sent: picked reject" in notices(d))
    ActionChains(page).send_keys("t").perform()  # the remaining ticket: answer in words
    ActionChains(page).send_keys("Yes, refund it.").key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait_for(page, lambda d: "Sent: answered: Yes, refund it." in notices(d))
    results = {r["option"] if "option" in r else r.get("text"): r for r in (outcome(first), outcome(second))}
    assert set(results) == {"reject", "Yes, refund it."}


def test_single_key_shortcuts_can_be_switched_off(stack, browsers):
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    stack.ask("Refund $5?", "--option", "approve")
    wait_for(page, lambda d: len(ticket_items(d)) == 1)
    page.find_element(By.ID, "settings-toggle").click()
    page.find_element(By.ID, "opt-keys").click()
    page.find_element(By.TAG_NAME, "body").click()
    ActionChains(page).send_keys("1").perform()
    time.sleep(0.5)
    assert len(ticket_items(page)) == 1 and "Sent" not in notices(page)


def test_presence_is_settable_and_the_broker_sees_it(stack, browsers):
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    page.find_element(By.ID, "presence").click()
    wait_for(page, lambda d: d.find_element(By.ID, "presence").text == "Away")
    workers = {w["name"]: w for w in stack.status()["workers"]}
    assert workers["ana"]["presence"] == "away"
    page.find_element(By.ID, "presence").click()
    wait_for(page, lambda d: d.find_element(By.ID, "presence").text == "Active")


def test_a_live_agent_sees_the_hilas_note_and_takes_over(stack, browsers):
    stack.add_user("ana")
    stack.add_user("lee", role="live", skills=())
    stack.start_web()
    ana, lee = browsers.open(), browsers.open()
    login(ana, stack.url, "ana")
    login(lee, stack.url, "lee")
    ask = stack.ask("Refund $900?", "--option", "approve")
    wait_for(ana, lambda d: len(ticket_items(d)) == 1)
    ana.find_element(By.ID, "act-transfer").click()
    ana.find_element(By.ID, "compose-text").send_keys("over my limit, please call her")
    ana.find_element(By.ID, "compose-send").click()
    wait_for(ana, lambda d: "Sent: transferred to a live agent" in notices(d))
    wait_for(lee, lambda d: len(ticket_items(d)) == 1)
    assert "over my limit, please call her" in lee.find_element(By.ID, "detail-note").text
    assert "hila" in lee.find_element(By.ID, "detail").text
    lee.find_element(By.ID, "act-take").click()
    wait_for(lee, lambda d: "Sent: taken over" in notices(d))
    assert outcome(ask)["outcome"] == "taken_over"


def test_usable_on_a_phone_sized_screen_and_at_200_percent_zoom(stack, browsers):
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    stack.ask("Refund $240 for order 1182?", *REFUND)
    wait_for(page, lambda d: len(ticket_items(d)) == 1)
    # A phone (390×844 CSS px), and a 1280×800 laptop at 200% zoom: 640×400 CSS px at 2×.
    for width, height, scale, mobile in ((390, 844, 3, True), (640, 400, 2, False)):
        page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                             {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
        wait_for(page, lambda d: d.execute_script("return window.innerWidth") == width)
        assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), \
            f"scrolls sideways at {width} CSS px"
        # One column: the ticket's detail sits below the list, and every decision is reachable.
        listed = page.find_element(By.ID, "tickets").rect
        detail = page.find_element(By.ID, "detail").rect
        assert detail["y"] >= listed["y"] + listed["height"]
        for button in ("act-accept", "act-approve", "act-option-1", "act-transfer", "act-decline"):
            assert page.find_element(By.ID, button).is_displayed()
    page.find_element(By.ID, "act-option-1").click()
    wait_for(page, lambda d: "Sent: picked approve" in notices(d))


STUB_BACKGROUND_TAB = """
    // The tab is in the background; the browser's notification and audio are stand-ins
    // that record what the page asked of them.
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    window.shown = [];
    window.chimes = 0;
    window.Notification = class { constructor(title, options) { window.shown.push([title, options.body]); } };
    window.Notification.permission = "granted";
    window.AudioContext = class {
      constructor() { window.chimes++; this.currentTime = 0; this.destination = {}; }
      createOscillator() { return { frequency: {}, connect: (x) => x, start() {}, stop() {} }; }
      createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (x) => x }; }
    };
"""


def test_a_ticket_offered_in_a_background_tab_notifies_and_chimes_unless_switched_off(stack, browsers):
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    login(page, stack.url, "ana")
    page.execute_script(STUB_BACKGROUND_TAB)
    stack.ask("Refund $75 for order 2001?")
    wait_for(page, lambda d: d.execute_script("return window.shown.length") == 1)
    assert page.execute_script("return window.shown[0]") == ["New Helpline ticket", "Refund $75 for order 2001?"]
    assert page.execute_script("return window.chimes") == 1

    page.find_element(By.ID, "settings-toggle").click()
    page.find_element(By.ID, "opt-notify").click()
    page.find_element(By.ID, "opt-sound").click()
    stack.ask("Refund $80 for order 2002?")
    wait_for(page, lambda d: len(ticket_items(d)) == 2)
    assert page.execute_script("return [window.shown.length, window.chimes]") == [1, 1]


def test_tls_serves_https_with_a_secure_cookie_and_a_public_address_needs_tls(stack):
    import ssl
    import subprocess

    from conftest import HELPLINE, read_line_with

    stack.add_user("ana")
    refused = subprocess.run([HELPLINE, "web", "--endpoint", stack.endpoint, "--users", str(stack.users), "--host", "0.0.0.0",
                              "--port", "0"], capture_output=True, text=True, timeout=WAIT)
    assert refused.returncode != 0 and "--insecure" in refused.stderr

    cert, key = stack.folder / "cert.pem", stack.folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    web = stack.processes.start([HELPLINE, "web", "--endpoint", stack.endpoint, "--users", str(stack.users), "--port", "0",
                                 "--tls-cert", str(cert), "--tls-key", str(key)])
    url = urlparse(read_line_with(web, "helpline web: ").split("helpline web: ")[1].split(" ")[0])
    assert url.scheme == "https"
    context = ssl.create_default_context(cafile=str(cert))
    context.check_hostname = False
    connection = http.client.HTTPSConnection(url.hostname, url.port, timeout=WAIT, context=context)
    connection.request("POST", "/api/login", body=json.dumps({"name": "ana", "password": "correct horse 1"}),
                       headers={"Origin": f"https://{url.netloc}", "Content-Type": "application/json"})
    response = connection.getresponse()
    cookie = response.getheader("Set-Cookie")
    assert response.status == 200 and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
