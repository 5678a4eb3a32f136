// The console's pure logic: no DOM, no network, no clock reads (time comes in as an
// argument). console.js draws what these functions decide; `node --test` tests them
// (Tests/web/logic.test.js).
(function (root) {
  "use strict";

  /** A duration in milliseconds as m:ss, or h:mm:ss from an hour on; never negative. */
  function formatDuration(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = String(total % 60).padStart(2, "0");
    return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
  }

  /** The ticket's timer at server time `now`: time left to accept, then time held. */
  function timerFor(ticket, now) {
    if (ticket.stage === "accepted") {
      return { label: `held ${formatDuration(now - (ticket.accepted_at || ticket.offered_at))}`, urgent: false, kind: "held" };
    }
    const left = ticket.accept_by - now;
    return { label: `accept ${formatDuration(left)}`, urgent: left < 10000, kind: "accept" };
  }

  /** The first line of a prompt, for the list. */
  function firstLine(text) {
    if (typeof text !== "string") return "";
    return text.split("\n", 1)[0];
  }

  /** The ticket's prompt, from its body (the ASK convention), or a stand-in. */
  function promptOf(ticket) {
    const body = ticket && ticket.body;
    if (body && typeof body === "object" && typeof body.prompt === "string") return body.prompt;
    if (typeof body === "string") return body;
    return "(no prompt)";
  }

  /** A fresh page state: nothing from the server yet. */
  function initialState() {
    return { server: null, offset: 0, known: [], unread: [], selected: null, notices: [], offered: [] };
  }

  /**
   * Folds one message from the server into the page state (a new object; the old one is
   * untouched). `localNow` is the page's clock when it arrived, to correct for skew.
   * The result's `offered` lists tickets that appeared with this message (to notify).
   */
  function reduce(state, message, localNow) {
    if (!message || typeof message !== "object") return state;
    if (message.type === "notice") {
      const notices = [{ level: message.level, text: message.text, ticket: message.ticket || null, at: localNow }]
        .concat(state.notices).slice(0, 20);
      return Object.assign({}, state, { notices, offered: [] });
    }
    if (message.type !== "state") return state;
    const ids = message.tickets.map((t) => t.id);
    const offered = ids.filter((id) => !state.known.includes(id));
    // A ticket seen before (this tab, or the first state after a reload) is not news.
    const fresh = state.server === null ? [] : offered;
    const unread = state.unread.filter((id) => ids.includes(id)).concat(fresh.filter((id) => !state.unread.includes(id)));
    let selected = ids.includes(state.selected) ? state.selected : ids[0] || null;
    const next = Object.assign({}, state, {
      server: message,
      offset: message.now - localNow,
      known: ids,
      unread: selected ? unread.filter((id) => id !== selected) : unread,
      selected,
      offered: fresh,
    });
    return next;
  }

  /** Selects a ticket (by id) and marks it read. */
  function select(state, id) {
    if (!state.server || !state.server.tickets.some((t) => t.id === id)) return state;
    return Object.assign({}, state, { selected: id, unread: state.unread.filter((u) => u !== id) });
  }

  /** Moves the selection by `step` through the list, wrapping around. */
  function move(state, step) {
    const tickets = state.server ? state.server.tickets : [];
    if (tickets.length === 0) return state;
    const index = Math.max(0, tickets.findIndex((t) => t.id === state.selected));
    const next = tickets[(index + step + tickets.length) % tickets.length];
    return select(state, next.id);
  }

  /** The server's clock now, given the page's. */
  function serverNow(state, localNow) {
    return localNow + state.offset;
  }

  /**
   * What a key press means. `key`: {key, ctrlKey, metaKey, altKey, inField}. `role`:
   * "hila" or "live". `singleKeys`: whether one-letter shortcuts are on (they can be
   * switched off for people using speech input or switch access). Returns an action:
   * {type: "next"|"prev"|"accept"|"take"|"approve"|"reject"|"answer"|"edit"|"transfer"|
   * "decline"|"option"|"help"|"send"|"cancel"|"away", index?} or null.
   */
  function keyAction(key, role, singleKeys) {
    if ((key.ctrlKey || key.metaKey) && key.key === "Enter") return { type: "send" };
    if (key.key === "Escape") return { type: "cancel" };
    if (!singleKeys || key.inField || key.ctrlKey || key.metaKey || key.altKey) return null;
    switch (key.key) {
      case "j": case "ArrowDown": return { type: "next" };
      case "k": case "ArrowUp": return { type: "prev" };
      case "?": return { type: "help" };
      case "d": return { type: "decline" };
      case "p": return { type: "away" };
      case "a": return { type: role === "live" ? "take" : "accept" };
    }
    if (role !== "hila") return null;
    switch (key.key) {
      case "y": return { type: "approve" };
      case "n": return { type: "reject" };
      case "t": return { type: "answer" };
      case "e": return { type: "edit" };
      case "l": return { type: "transfer" };
    }
    if (/^[1-9]$/.test(key.key)) return { type: "option", index: Number(key.key) - 1 };
    return null;
  }

  /**
   * The proposal as form fields: one per leaf of an object (nested keys joined with
   * "."), or a single field for a scalar. Each: {path, value (text), kind}.
   */
  function proposalFields(proposed) {
    const fields = [];
    function walk(value, path) {
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const keys = Object.keys(value).sort();
        if (keys.length === 0 && path) fields.push({ path, value: "{}", kind: "json" });
        for (const key of keys) walk(value[key], path ? `${path}.${key}` : key);
        return;
      }
      const kind = typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean"
        : typeof value === "string" ? "text" : "json";
      const text = kind === "text" ? value : JSON.stringify(value);
      fields.push({ path, value: text, kind });
    }
    if (proposed === undefined) return [];
    walk(proposed, "");
    return fields;
  }

  /**
   * Rebuilds the proposal from edited fields (the inverse of proposalFields). A number
   * field that no longer reads as a number, or a JSON field that no longer parses, is an
   * error: {error: "amount: not a number"}; else {value}.
   */
  function buildProposal(fields) {
    let result;
    for (const field of fields) {
      let value;
      if (field.kind === "text") value = field.value;
      else if (field.kind === "number") {
        const text = String(field.value).trim();
        if (text === "" || !isFinite(Number(text))) return { error: `${field.path || "value"}: not a number` };
        value = Number(text);
      } else if (field.kind === "boolean") {
        if (field.value !== "true" && field.value !== "false") return { error: `${field.path || "value"}: true or false` };
        value = field.value === "true";
      } else {
        try { value = JSON.parse(field.value); } catch (e) { return { error: `${field.path || "value"}: not valid JSON` }; }
      }
      if (field.path === "") return { value };
      result = result || {};
      const parts = field.path.split(".");
      let node = result;
      for (let i = 0; i < parts.length - 1; i++) {
        node[parts[i]] = node[parts[i]] || {};
        node = node[parts[i]];
      }
      node[parts[parts.length - 1]] = value;
    }
    return { value: result === undefined ? {} : result };
  }

  /** The page's message for a decision; null when it lacks what it needs. */
  function decisionMessage(kind, ticket, input) {
    const id = ticket.id;
    switch (kind) {
      case "accept": return { op: "accept", id };
      case "take": return { op: "take", id };
      case "approve": return { op: "decide", id, decision: "approve" };
      case "reject": return { op: "decide", id, decision: "reject", text: input || "" };
      case "answer": return input ? { op: "decide", id, decision: "answer", text: input } : null;
      case "edit": return input === undefined ? null : { op: "decide", id, decision: "edit", edited: input };
      case "transfer": return { op: "transfer", id, note: input || undefined };
      case "decline": return { op: "decline", id, reason: input || undefined };
      case "option": return ticket.options && ticket.options[input] !== undefined
        ? { op: "decide", id, decision: "option", option: ticket.options[input] } : null;
    }
    return null;
  }

  /** Whether the person has been idle long enough to be set away. */
  function idleAway(lastActivity, now, idleMs) {
    return idleMs > 0 && now - lastActivity >= idleMs;
  }

  /** The wait before reconnect attempt `n` (0-based): 0.25 s doubling to 5 s. */
  function reconnectDelay(n) {
    return Math.min(5000, 250 * Math.pow(2, n));
  }

  const api = {
    formatDuration, timerFor, firstLine, promptOf, initialState, reduce, select, move, serverNow,
    keyAction, proposalFields, buildProposal, decisionMessage, idleAway, reconnectDelay,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.HelplineLogic = api;
})(this);
