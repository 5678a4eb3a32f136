// The console page's own logic (Sources/HelplineWeb/Assets/logic.js), with node's test
// runner: `node --test Tests/web/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const L = require("../../Sources/HelplineWeb/Assets/logic.js");

function ticket(id, extra) {
  return Object.assign({
    id, role: "hila", skills: ["refunds"], priority: 5, options: ["approve", "reject"], attempt: 1,
    stage: "offered", offered_at: 1000, accept_by: 31000, expires_at: 3601000, body: { prompt: `Refund ${id}?\nmore` },
  }, extra || {});
}

function stateMessage(tickets, extra) {
  return Object.assign({
    type: "state", now: 5000, me: { name: "ana", role: "hila", skills: ["refunds"], capacity: 3 },
    presence: "active", link: "online", tickets, answered: [],
  }, extra || {});
}

test("durations read as m:ss, then h:mm:ss, and never go negative", () => {
  assert.equal(L.formatDuration(0), "0:00");
  assert.equal(L.formatDuration(29999), "0:29");
  assert.equal(L.formatDuration(61000), "1:01");
  assert.equal(L.formatDuration(3723000), "1:02:03");
  assert.equal(L.formatDuration(-5000), "0:00");
});

test("an offered ticket counts down to its accept time, then an accepted one counts up", () => {
  const offered = ticket("t1");
  assert.deepEqual(L.timerFor(offered, 2000), { label: "accept 0:29", urgent: false, kind: "accept" });
  assert.equal(L.timerFor(offered, 25000).urgent, true);
  const held = ticket("t1", { stage: "accepted", accepted_at: 10000 });
  assert.equal(L.timerFor(held, 75000).label, "held 1:05");
});

test("the first state after a load is not news; tickets that appear later are unread and announced", () => {
  let state = L.initialState();
  state = L.reduce(state, stateMessage([ticket("t1")]), 4000);
  assert.deepEqual(state.offered, []);
  assert.equal(state.selected, "t1");
  assert.equal(state.offset, 1000);
  state = L.reduce(state, stateMessage([ticket("t1"), ticket("t2")]), 4500);
  assert.deepEqual(state.offered, ["t2"]);
  assert.deepEqual(state.unread, ["t2"]);
  state = L.select(state, "t2");
  assert.deepEqual(state.unread, []);
});

test("a removed ticket leaves the selection and the unread list", () => {
  let state = L.reduce(L.initialState(), stateMessage([ticket("t1")]), 0);
  state = L.reduce(state, stateMessage([ticket("t1"), ticket("t2")]), 0);
  state = L.reduce(state, stateMessage([ticket("t2")]), 0);
  assert.equal(state.selected, "t2");
  state = L.reduce(state, stateMessage([]), 0);
  assert.equal(state.selected, null);
  assert.deepEqual(state.unread, []);
});

test("notices pile up newest first, at most 20", () => {
  let state = L.initialState();
  for (let i = 0; i < 25; i++) state = L.reduce(state, { type: "notice", level: "info", text: `n${i}` }, i);
  assert.equal(state.notices.length, 20);
  assert.equal(state.notices[0].text, "n24");
});

test("j and k move through the list and wrap", () => {
  let state = L.reduce(L.initialState(), stateMessage([ticket("a"), ticket("b"), ticket("c")]), 0);
  state = L.move(state, 1);
  assert.equal(state.selected, "b");
  state = L.move(L.move(state, 1), 1);
  assert.equal(state.selected, "a");
  assert.equal(L.move(state, -1).selected, "c");
});

test("keys map to the terminal console's actions, by role", () => {
  const key = (k, extra) => Object.assign({ key: k, ctrlKey: false, metaKey: false, altKey: false, inField: false }, extra || {});
  assert.deepEqual(L.keyAction(key("j"), "hila", true), { type: "next" });
  assert.deepEqual(L.keyAction(key("a"), "hila", true), { type: "accept" });
  assert.deepEqual(L.keyAction(key("a"), "live", true), { type: "take" });
  assert.deepEqual(L.keyAction(key("y"), "hila", true), { type: "approve" });
  assert.equal(L.keyAction(key("y"), "live", true), null);
  assert.deepEqual(L.keyAction(key("3"), "hila", true), { type: "option", index: 2 });
  assert.equal(L.keyAction(key("0"), "hila", true), null);
  assert.deepEqual(L.keyAction(key("l"), "hila", true), { type: "transfer" });
  assert.deepEqual(L.keyAction(key("e"), "hila", true), { type: "edit" });
  assert.deepEqual(L.keyAction(key("?"), "hila", true), { type: "help" });
});

test("single keys can be switched off and never fire while typing; Ctrl/Cmd+Enter and Esc always work", () => {
  const key = (k, extra) => Object.assign({ key: k, ctrlKey: false, metaKey: false, altKey: false, inField: false }, extra || {});
  assert.equal(L.keyAction(key("y"), "hila", false), null);
  assert.equal(L.keyAction(key("y", { inField: true }), "hila", true), null);
  assert.deepEqual(L.keyAction(key("Enter", { ctrlKey: true, inField: true }), "hila", false), { type: "send" });
  assert.deepEqual(L.keyAction(key("Enter", { metaKey: true }), "hila", true), { type: "send" });
  assert.deepEqual(L.keyAction(key("Escape", { inField: true }), "hila", false), { type: "cancel" });
  assert.equal(L.keyAction(key("Enter"), "hila", true), null);
});

test("a proposal becomes form fields and comes back the same, edits included", () => {
  const proposed = { amount: 240, currency: "USD", refund: { full: true, lines: [1, 2] } };
  const fields = L.proposalFields(proposed);
  assert.deepEqual(fields.map((f) => f.path), ["amount", "currency", "refund.full", "refund.lines"]);
  assert.deepEqual(L.buildProposal(fields), { value: proposed });
  const edited = fields.map((f) => (f.path === "amount" ? Object.assign({}, f, { value: "200" }) : f));
  assert.deepEqual(L.buildProposal(edited).value.amount, 200);
});

test("a bad edit is refused with the field's name; a scalar proposal is one field", () => {
  const fields = L.proposalFields({ amount: 240 });
  assert.deepEqual(L.buildProposal([Object.assign({}, fields[0], { value: "two hundred" })]), { error: "amount: not a number" });
  const scalar = L.proposalFields("Refund in full");
  assert.deepEqual(scalar, [{ path: "", value: "Refund in full", kind: "text" }]);
  assert.deepEqual(L.buildProposal([{ path: "", value: "Refund half", kind: "text" }]), { value: "Refund half" });
  assert.deepEqual(L.proposalFields(undefined), []);
});

test("decisions become the server's commands; an option out of range or an empty answer is nothing", () => {
  const t = ticket("t1");
  assert.deepEqual(L.decisionMessage("option", t, 1), { op: "decide", id: "t1", decision: "option", option: "reject" });
  assert.equal(L.decisionMessage("option", t, 5), null);
  assert.equal(L.decisionMessage("answer", t, ""), null);
  assert.deepEqual(L.decisionMessage("reject", t, "too much"), { op: "decide", id: "t1", decision: "reject", text: "too much" });
  assert.deepEqual(L.decisionMessage("edit", t, { amount: 200 }), { op: "decide", id: "t1", decision: "edit", edited: { amount: 200 } });
  assert.deepEqual(L.decisionMessage("transfer", t, "call her"), { op: "transfer", id: "t1", note: "call her" });
});

test("idle time sets away only when enabled; reconnects back off to 5 s", () => {
  assert.equal(L.idleAway(0, 600000, 600000), true);
  assert.equal(L.idleAway(0, 599999, 600000), false);
  assert.equal(L.idleAway(0, 10 ** 9, 0), false);
  assert.equal(L.reconnectDelay(0), 250);
  assert.equal(L.reconnectDelay(10), 5000);
});

test("the prompt's first line, from the body convention", () => {
  assert.equal(L.firstLine(L.promptOf(ticket("t1"))), "Refund t1?");
  assert.equal(L.promptOf({ body: null }), "(no prompt)");
});
