"""Browser tests of `helpline web`: a real broker, a real `helpline web`, real `helpline ask`
processes, and Debian's headless Chromium driven by selenium (never a downloaded browser).

Every process a test starts is stopped by its PID at the end of the test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Optional

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
HELPLINE = os.environ.get("HELPLINE_BIN", str(ROOT / ".build" / "debug" / "helpline"))
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
# The reconnect grace `helpline web` runs with in these tests, in seconds.
GRACE = 2.0
# Bound on every wait: a broken console fails the test, never hangs it.
WAIT = 15


class Processes:
    """Processes started by one test, stopped by PID (TERM, then KILL) at its end."""

    def __init__(self):
        self.started: List[subprocess.Popen] = []

    def start(self, args, **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
        self.started.append(process)
        return process

    def stop_all(self):
        for process in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)


def read_line_with(process: subprocess.Popen, marker: str, timeout: float = WAIT) -> str:
    """The first stdout line of `process` containing `marker`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                raise AssertionError(f"{process.args[:2]} exited {process.returncode}: {process.stderr.read()}")
            continue
        if marker in line:
            return line.strip()
    raise AssertionError(f"no line with {marker!r} from {process.args[:2]}")


class Stack:
    """A broker, a users file and a `helpline web` on loopback, for one test."""

    def __init__(self, processes: Processes, folder: Path):
        self.processes = processes
        self.folder = folder
        self.users = folder / "users.jsonl"
        broker = processes.start([HELPLINE, "broker", "--endpoint", "tcp://127.0.0.1:*", "--journal", "memory", "--log-level", "error"])
        self.endpoint = read_line_with(broker, "listening on ").split("listening on ")[1].strip()
        self.web_process: Optional[subprocess.Popen] = None
        self.url = ""

    def add_user(self, name: str, password: str = "correct horse 1", skills=("refunds",), capacity: int = 3, role: str = "hila"):
        args = [HELPLINE, "web", "user", "add", name, "--users", str(self.users), "--role", role, "--capacity", str(capacity), "--password-stdin"]
        for skill in skills:
            args += ["--skill", skill]
        subprocess.run(args, input=password + "\n", text=True, check=True, capture_output=True, timeout=WAIT)

    def start_web(self):
        self.web_process = self.processes.start([
            HELPLINE, "web", "--endpoint", self.endpoint, "--users", str(self.users), "--port", "0", "--grace", str(GRACE)])
        line = read_line_with(self.web_process, "helpline web: ")
        self.url = line.split("helpline web: ")[1].split(" ")[0]
        return self.url

    def ask(self, prompt: str, *extra: str) -> subprocess.Popen:
        return self.processes.start([HELPLINE, "ask", "--endpoint", self.endpoint, "--skill", "refunds", *extra, prompt])

    def status(self) -> dict:
        out = subprocess.run([HELPLINE, "status", "--json", "--endpoint", self.endpoint], capture_output=True, text=True, timeout=WAIT, check=True)
        return json.loads(out.stdout)


@pytest.fixture
def stack(tmp_path):
    processes = Processes()
    try:
        yield Stack(processes, tmp_path)
    finally:
        processes.stop_all()


class Browsers:
    """Separate Chromium instances: each its own profile, so its own cookies (a browser
    context per person)."""

    def __init__(self):
        self.drivers = []
        self.profiles = []

    def open(self):
        profile = tempfile.mkdtemp(prefix="helpline-chromium-")
        self.profiles.append(profile)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                     f"--user-data-dir={profile}", "--disable-gpu", "--no-first-run"):
            options.add_argument(flag)
        # chromedriver can fail to start on a loaded machine (the port selenium picked was
        # taken meanwhile): try again, a few times.
        for attempt in range(3):
            try:
                driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
                break
            except WebDriverException:
                if attempt == 2:
                    raise
                time.sleep(1)
        driver.set_script_timeout(WAIT)
        driver.set_window_size(1280, 800)
        self.drivers.append(driver)
        return driver

    def close(self, driver):
        driver.quit()
        self.drivers.remove(driver)

    def close_all(self):
        for driver in list(self.drivers):
            try:
                driver.quit()
            except Exception:
                pass
        for profile in self.profiles:
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browsers():
    pool = Browsers()
    try:
        yield pool
    finally:
        pool.close_all()


def wait_for(driver, condition, timeout: float = WAIT, message: str = ""):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d), message)


def login(driver, url: str, name: str, password: str = "correct horse 1"):
    """Logs in through the form and waits until the console is online at the broker."""
    driver.get(url)
    wait_for(driver, lambda d: d.find_element(By.ID, "login-name").is_displayed(), message="no login form")
    driver.find_element(By.ID, "login-name").send_keys(name)
    driver.find_element(By.ID, "login-password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    wait_online(driver)


def login_page(stack, browsers):
    """ana in the users file, the console up, a browser on its login form."""
    stack.add_user("ana")
    stack.start_web()
    page = browsers.open()
    page.get(stack.url)
    wait_for(page, lambda d: d.find_element(By.ID, "login-name").is_displayed())
    return page


def wait_online(driver):
    wait_for(driver, lambda d: "online" in d.find_element(By.ID, "link").text, message="the console never got online")


def ticket_items(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#tickets li.ticket")


def notices(driver) -> str:
    return driver.find_element(By.ID, "notices").text
