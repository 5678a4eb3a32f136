// The console page: draws the state `helpline web` sends over the tab's WebSocket and
// sends the person's decisions back. The decisions' logic (what a key means, how the
// proposal form maps to JSON, how messages fold into state) is in logic.js.
(function () {
  "use strict";
  const L = window.HelplineLogic;
  const $ = (id) => document.getElementById(id);

  let state = L.initialState();
  let socket = null;
  let attempts = 0;
  let compose = null;          // {kind, ticket} while writing a reason, answer, note
  let editing = null;          // {ticket, fields, original} the proposal form's values
  let drawn = null;            // what the detail pane shows now (see renderDetail)
  let lastActivity = Date.now();
  let awayByIdle = false;
  const settings = loadSettings();

  // MARK: Settings

  function loadSettings() {
    const defaults = { keys: true, notify: true, sound: true, idle: 10 };
    try { return Object.assign(defaults, JSON.parse(localStorage.getItem("helpline.settings") || "{}")); }
    catch (e) { return defaults; }
  }

  function saveSettings() {
    localStorage.setItem("helpline.settings", JSON.stringify(settings));
  }

  function bindSettings() {
    $("opt-keys").checked = settings.keys;
    $("opt-notify").checked = settings.notify;
    $("opt-sound").checked = settings.sound;
    $("opt-idle").value = settings.idle;
    $("opt-keys").addEventListener("change", (e) => { settings.keys = e.target.checked; saveSettings(); });
    $("opt-notify").addEventListener("change", (e) => {
      settings.notify = e.target.checked; saveSettings();
      if (settings.notify && "Notification" in window && Notification.permission === "default") Notification.requestPermission();
    });
    $("opt-sound").addEventListener("change", (e) => { settings.sound = e.target.checked; saveSettings(); });
    $("opt-idle").addEventListener("change", (e) => { settings.idle = Math.max(0, Number(e.target.value) || 0); saveSettings(); });
    $("settings-toggle").addEventListener("click", () => {
      const open = $("settings").hidden;
      $("settings").hidden = !open;
      $("settings-toggle").setAttribute("aria-expanded", String(open));
    });
  }

  // MARK: Login

  async function start() {
    bindSettings();
    $("login-form").addEventListener("submit", login);
    $("logout").addEventListener("click", logout);
    $("presence").addEventListener("click", () => setPresence(isAway() ? "active" : "away"));
    $("help-toggle").addEventListener("click", () => $("help").showModal());
    document.addEventListener("keydown", onKey);
    for (const kind of ["pointerdown", "keydown", "focus"]) document.addEventListener(kind, activity, true);
    const me = await fetch("/api/me", { credentials: "same-origin" });
    if (me.ok) showConsole(); else showLogin();
    setInterval(tick, 1000);
  }

  function showLogin() {
    $("console").hidden = true;
    $("login").hidden = false;
    $("login-name").focus();
  }

  async function login(event) {
    event.preventDefault();
    $("login-error").textContent = "";
    $("login-submit").disabled = true;
    try {
      const response = await fetch("/api/login", {
        method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: $("login-name").value, password: $("login-password").value }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) { $("login-error").textContent = body.error || `Login failed (${response.status}).`; return; }
      $("login-password").value = "";
      showConsole();
    } catch (e) {
      $("login-error").textContent = "Cannot reach the console's server.";
    } finally {
      $("login-submit").disabled = false;
    }
  }

  async function logout() {
    await fetch("/api/logout", { method: "POST", credentials: "same-origin" });
    if (socket) socket.close();
    location.reload();
  }

  function showConsole() {
    $("login").hidden = true;
    $("console").hidden = false;
    connect();
  }

  // MARK: The WebSocket

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}/ws`);
    socket.addEventListener("open", () => { attempts = 0; });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      state = L.reduce(state, message, Date.now());
      if (message.type === "state") {
        if (state.offered.length > 0) announce(state.offered);
        if (editing && !state.server.tickets.some((t) => t.id === editing.ticket)) editing = null;
        if (compose && !state.server.tickets.some((t) => t.id === compose.ticket)) compose = null;
      }
      render();
    });
    socket.addEventListener("close", async () => {
      socket = null;
      const me = await fetch("/api/me", { credentials: "same-origin" }).catch(() => null);
      if (me && me.status === 401) { showLogin(); return; }
      setLink("connecting", "reconnecting…");
      setTimeout(connect, L.reconnectDelay(attempts++));
    });
  }

  function send(message) {
    if (!message) return false;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      note("bad", "Not sent: the console is reconnecting. Try again in a moment.");
      return false;
    }
    socket.send(JSON.stringify(message));
    return true;
  }

  function note(level, text) {
    state = L.reduce(state, { type: "notice", level, text }, Date.now());
    renderNotices();
  }

  // MARK: New tickets in a background tab

  function announce(ids) {
    if (!document.hidden) return;
    const tickets = state.server.tickets.filter((t) => ids.includes(t.id));
    if (settings.notify && "Notification" in window && Notification.permission === "granted") {
      for (const ticket of tickets) {
        const n = new Notification("New Helpline ticket", { body: L.firstLine(L.promptOf(ticket)), tag: ticket.id });
        n.onclick = () => { window.focus(); state = L.select(state, ticket.id); render(); };
      }
    }
    if (settings.sound) chime();
  }

  function chime() {
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.35);
    } catch (e) { /* no audio: the notification still shows */ }
  }

  // MARK: Presence

  function isAway() { return state.server && state.server.presence === "away"; }

  function setPresence(value) {
    awayByIdle = false;
    send({ op: "presence", presence: value });
  }

  function activity() {
    lastActivity = Date.now();
    if (awayByIdle && isAway()) setPresence("active");
  }

  function tick() {
    if (state.server && !isAway() && L.idleAway(lastActivity, Date.now(), settings.idle * 60000)) {
      send({ op: "presence", presence: "away" });
      awayByIdle = true;
    }
    renderTimers();
  }

  // MARK: Decisions

  function selected() {
    return state.server ? state.server.tickets.find((t) => t.id === state.selected) : null;
  }

  function decide(kind, input) {
    const ticket = selected();
    if (!ticket) { note("info", "No ticket selected."); return; }
    if (ticket.sending) { note("info", "Already sent; waiting for the broker to confirm."); return; }
    const message = L.decisionMessage(kind, ticket, input);
    if (!message) {
      if (kind === "option") note("info", ticket.options.length ? `No option ${input + 1} on this ticket.` : "This ticket offers no options.");
      else if (kind === "answer") note("info", "Write an answer first.");
      return;
    }
    if (send(message)) { compose = null; if (kind !== "accept") editing = null; }
    render();
  }

  function startCompose(kind) {
    const ticket = selected();
    if (!ticket) return;
    compose = { kind, ticket: ticket.id };
    render();
    const field = $("compose-text");
    if (field) field.focus();
  }

  function startEdit() {
    const ticket = selected();
    if (!ticket) return;
    const first = document.querySelector(".proposal input");
    if (!first) { note("info", "The agent proposed nothing to edit: t answers in your own words."); return; }
    first.focus();
    first.select();
  }

  function sendEdited() {
    if (!editing) { note("info", "Nothing edited yet."); return; }
    const built = L.buildProposal(editing.fields);
    if (built.error) { note("bad", `Not sent: ${built.error}.`); return; }
    decide("edit", built.value);
  }

  function sendCompose() {
    if (compose) {
      const text = ($("compose-text") || {}).value || "";
      decide(compose.kind, text);
    } else if (editing && editing.ticket === state.selected) {
      sendEdited();
    }
  }

  function onKey(event) {
    if ($("help").open && event.key !== "Escape") return;
    const target = event.target;
    const inField = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    const role = state.server ? state.server.me.role : "hila";
    const action = L.keyAction(
      { key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, inField }, role, settings.keys);
    if (!action || $("console").hidden) return;
    event.preventDefault();
    switch (action.type) {
      case "next": state = L.move(state, 1); compose = null; render(); break;
      case "prev": state = L.move(state, -1); compose = null; render(); break;
      case "help": $("help").showModal(); break;
      case "away": setPresence(isAway() ? "active" : "away"); break;
      case "accept": decide("accept"); break;
      case "take": decide("take"); break;
      case "approve": decide("approve"); break;
      case "option": decide("option", action.index); break;
      case "reject": case "answer": case "transfer": case "decline": startCompose(action.type); break;
      case "edit": startEdit(); break;
      case "send": sendCompose(); break;
      case "cancel": compose = null; render(); document.activeElement && document.activeElement.blur(); break;
    }
  }

  // MARK: Drawing

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child.nodeType ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setLink(kind, text) {
    $("link").className = `link ${kind}`;
    $("link").textContent = text;
  }

  function render() {
    if (!state.server) return;
    const view = state.server;
    $("me").textContent = `${view.me.name} · ${view.me.role === "live" ? "live agent" : "HILA"}` +
      (view.me.skills.length ? ` · ${view.me.skills.join(", ")}` : "");
    $("load").textContent = `${view.tickets.length}/${view.me.capacity} held`;
    $("presence").textContent = view.presence === "away" ? "Away" : "Active";
    $("presence").className = `presence ${view.presence}`;
    $("presence").setAttribute("aria-pressed", String(view.presence === "away"));
    setLink(view.link, view.link === "online" ? "broker: online" : view.link === "offline" ? "broker: offline" : "broker: connecting…");
    renderList();
    renderDetail();
    renderAnswered();
    renderNotices();
    document.title = (state.unread.length ? `(${state.unread.length}) ` : "") + "Helpline console";
  }

  function renderList() {
    const view = state.server;
    const now = L.serverNow(state, Date.now());
    $("count").textContent = view.tickets.length ? `(${view.tickets.length})` : "";
    $("empty").hidden = view.tickets.length > 0;
    const list = $("tickets");
    list.replaceChildren(...view.tickets.map((t) => {
      const timer = L.timerFor(t, now);
      const unread = state.unread.includes(t.id);
      return el("li", {
        class: "ticket", role: "option", "aria-selected": String(t.id === state.selected), "data-id": t.id,
        onclick: () => { state = L.select(state, t.id); compose = null; render(); },
      },
        el("div", { class: "row" },
          unread ? el("span", { class: "unread-mark", title: "new" }, "● new") : null,
          el("span", { class: `timer${timer.urgent ? " urgent" : ""}`, "data-timer": t.id }, timer.label),
          el("span", { class: "prio" }, `P${t.priority}`),
          t.skills.map((s) => el("span", { class: "chip" }, s)),
          t.role === "live" ? el("span", { class: "chip" }, `live: ${t.transfer}`) : null,
          t.sending ? el("span", { class: "sending" }, "sending…") : null),
        el("div", { class: "prompt" }, L.firstLine(L.promptOf(t))));
    }));
  }

  function renderTimers() {
    if (!state.server) return;
    const now = L.serverNow(state, Date.now());
    for (const t of state.server.tickets) {
      const node = document.querySelector(`[data-timer="${CSS.escape(t.id)}"]`);
      if (!node) continue;
      const timer = L.timerFor(t, now);
      node.textContent = timer.label;
      node.className = `timer${timer.urgent ? " urgent" : ""}`;
    }
    const line = $("state-line");
    const ticket = selected();
    if (line && ticket) line.textContent = stateLine(ticket, now);
  }

  function stateLine(ticket, now) {
    const timer = L.timerFor(ticket, now);
    if (ticket.sending) return `Sending (${ticket.sending})… waiting for the broker to confirm.`;
    if (ticket.role === "live") return `Handed over (${ticket.transfer}) — take it over within ${timer.label.replace("accept ", "")}`;
    return ticket.stage === "accepted" ? `Yours — ${timer.label}` : `Offered — ${timer.label} left to accept`;
  }

  function renderDetail() {
    const ticket = selected();
    const detail = $("detail");
    // Keep what the person is typing across redraws of the same ticket.
    const typing = $("compose-text") ? $("compose-text").value : "";
    const focusedPath = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.path : undefined;
    if (!ticket) { drawn = null; detail.replaceChildren(el("p", { class: "muted" }, "Select a ticket.")); return; }
    const proposed = ticket.body && typeof ticket.body === "object" ? ticket.body.proposed : undefined;
    if (ticket.role === "hila" && proposed !== undefined && (!editing || editing.ticket !== ticket.id)) {
      editing = { ticket: ticket.id, fields: L.proposalFields(proposed), original: L.proposalFields(proposed) };
    }
    // Redraw only when what the pane shows changed: a new ticket elsewhere in the list must
    // not replace the fields the person is typing in (timers tick by themselves).
    const key = JSON.stringify([ticket, compose && compose.ticket === ticket.id ? compose.kind : null, editing && editing.ticket]);
    if (key === drawn) return;
    drawn = key;
    const body = ticket.body && typeof ticket.body === "object" ? ticket.body : {};
    const now = L.serverNow(state, Date.now());
    const parts = [
      el("h2", { id: "detail-prompt" }, L.promptOf(ticket)),
      el("p", { id: "state-line", class: "state-line" }, stateLine(ticket, now)),
      el("p", { class: "muted" }, `${ticket.id} · P${ticket.priority} · attempt ${ticket.attempt}` +
        (ticket.skills.length ? ` · ${ticket.skills.join(", ")}` : "")),
    ];
    if (ticket.role === "live") {
      parts.push(el("h3", {}, "Why it was handed over"), el("p", {}, ticket.transfer || "requested"));
      if (ticket.note) parts.push(el("h3", {}, "The HILA's note"), el("p", { id: "detail-note" }, ticket.note));
    }
    if (body.context !== undefined) {
      parts.push(el("h3", {}, "Context"), el("pre", {}, typeof body.context === "string" ? body.context : JSON.stringify(body.context, null, 2)));
    }
    if (Array.isArray(body.transcript) && body.transcript.length) {
      parts.push(el("h3", {}, "Transcript"), el("ol", { class: "transcript" },
        body.transcript.map((turn) => el("li", {}, el("span", { class: "who" }, `${turn.role}: `), turn.text))));
    }
    if (body.customer && typeof body.customer === "object") {
      parts.push(el("h3", {}, "Customer"), el("dl", { class: "customer" },
        Object.keys(body.customer).sort().map((k) => [el("dt", {}, k), el("dd", {}, typeof body.customer[k] === "string" ? body.customer[k] : JSON.stringify(body.customer[k]))])));
    }
    if (ticket.role === "hila" && body.proposed !== undefined) parts.push(proposalForm(ticket, body.proposed));
    parts.push(actions(ticket));
    if (compose && compose.ticket === ticket.id) parts.push(composeBox(compose.kind, typing));
    detail.replaceChildren(...parts);
    if (compose && compose.ticket === ticket.id) $("compose-text").focus();
    else if (focusedPath !== undefined) {
      const field = document.querySelector(`.proposal input[data-path="${CSS.escape(focusedPath)}"]`);
      if (field) field.focus();
    }
  }

  function proposalForm(ticket, proposed) {
    const rows = editing.fields.map((field, index) => {
      const changed = field.value !== editing.original[index].value;
      const id = `field-${index}`;
      return [
        el("label", { for: id }, field.path || "proposal"),
        el("input", {
          id, "data-path": field.path, value: field.value, class: changed ? "changed" : null,
          inputmode: field.kind === "number" ? "decimal" : null,
          oninput: (e) => {
            editing.fields[index] = Object.assign({}, field, { value: e.target.value });
            e.target.classList.toggle("changed", e.target.value !== editing.original[index].value);
            $("send-edited").disabled = !edited();
          },
        }),
      ];
    });
    return el("section", { "aria-label": "Proposed action" },
      el("h3", {}, "Proposed action — edit any field"),
      el("div", { class: "proposal" }, rows),
      el("div", { class: "actions" },
        el("button", { id: "send-edited", type: "button", class: "primary", disabled: !edited() || !!ticket.sending, onclick: sendEdited },
          "Send edited proposal ", el("kbd", {}, "Ctrl+Enter")),
        el("button", { id: "reset-edited", type: "button", onclick: () => { editing = null; drawn = null; render(); } }, "Reset")));
  }

  function edited() {
    return editing && editing.fields.some((f, i) => f.value !== editing.original[i].value);
  }

  function button(id, label, key, onclick, extra) {
    return el("button", Object.assign({ id, type: "button", onclick }, extra || {}), label, key ? [" ", el("kbd", {}, key)] : null);
  }

  function actions(ticket) {
    const busy = !!ticket.sending;
    const opts = { disabled: busy };
    if (ticket.role === "live") {
      return el("div", { class: "actions" },
        button("act-take", "Take over", "a", () => decide("take"), { class: "primary", disabled: busy }),
        button("act-decline", "Decline", "d", () => startCompose("decline"), opts));
    }
    return el("div", { class: "actions" },
      ticket.stage === "offered" ? button("act-accept", "Accept", "a", () => decide("accept"), { class: "primary", disabled: busy }) : null,
      button("act-approve", "Approve", "y", () => decide("approve"), opts),
      button("act-reject", "Reject…", "n", () => startCompose("reject"), Object.assign({ class: "danger" }, opts)),
      ticket.options.map((option, i) =>
        button(`act-option-${i + 1}`, option, i < 9 ? String(i + 1) : null, () => decide("option", i), opts)),
      button("act-answer", "Answer…", "t", () => startCompose("answer"), opts),
      button("act-transfer", "Transfer to live…", "l", () => startCompose("transfer"), opts),
      button("act-decline", "Decline…", "d", () => startCompose("decline"), opts));
  }

  function composeBox(kind, typing) {
    const labels = {
      reject: ["Why reject it? (optional)", "Reject"], answer: ["Your answer", "Send answer"],
      transfer: ["A note for the live agent (optional)", "Transfer"], decline: ["Why decline? (optional)", "Decline"],
    };
    const [label, action] = labels[kind] || ["", "Send"];
    const field = el("textarea", { id: "compose-text", "aria-label": label });
    field.value = typing;
    return el("div", { class: "compose" },
      el("label", { for: "compose-text" }, label), field,
      el("div", { class: "actions" },
        el("button", { id: "compose-send", type: "button", class: "primary", onclick: sendCompose }, `${action} `, el("kbd", {}, "Ctrl+Enter")),
        el("button", { id: "compose-cancel", type: "button", onclick: () => { compose = null; render(); } }, "Cancel ", el("kbd", {}, "Esc"))));
  }

  function renderAnswered() {
    const list = state.server.answered;
    $("answered").replaceChildren(...(list.length ? list.map((a) =>
      el("li", {}, el("strong", {}, new Date(a.at - state.offset).toLocaleTimeString()), " ", a.prompt || a.id, " — ", a.said))
      : [el("li", { class: "muted" }, "Nothing yet.")]));
  }

  function renderNotices() {
    $("notices").replaceChildren(...state.notices.slice(0, 3).map((n) => el("p", { class: `notice ${n.level}` }, n.text)));
  }

  document.addEventListener("DOMContentLoaded", start);
})();
