// ChatSession flows beyond the basics, in Node against the devserver: history paging,
// failed sends and retry (including a send the server stored although its answer was
// lost), throttled typing and debounced read receipts as requests on the wire, resolve,
// interactive replies, presence, the snapshot contract, server restarts, reset().
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ChatSession } from "../../pkg/node.js";
import { startDevserver } from "./devserver.mjs";
import { next, sleep, until } from "./events.mjs";

let server;
const sessions = [];
before(async () => {
  server = await startDevserver();
});
// Each test leaves nothing behind: its sessions closed, no fault still armed.
afterEach(async () => {
  for (const s of sessions.splice(0)) s.close();
  await server.control("DELETE", "/faults");
});
after(() => {
  for (const s of sessions) s.close();
  server?.stop();
});


async function start(extra = {}, inbox = {}) {
  const { identifier } = await server.control("POST", "/inboxes", inbox);
  const chat = await ChatSession.start({ baseUrl: server.url, inboxIdentifier: identifier, WebSocket, storage: "memory", ...extra });
  sessions.push(chat);
  return chat;
}


async function open(chat) {
  if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open");
}

/** Public-API requests whose path contains `part`, since the log was cleared. */
async function requests(part) {
  const log = await server.control("GET", "/requests");
  return log.filter((r) => r.path.includes(part));
}

test("history: messages() reads the newest page, loadOlder pages back and says when it is done", async () => {
  const chat = await start({ realtime: false });
  const conv = await chat.startConversation();
  for (let i = 0; i < 45; i++) await server.control("POST", `/conversations/${conv.id}/messages`, { content: `old ${i}` });
  assert.deepEqual(chat.messages(conv.id), []);
  const key = String(conv.id);
  assert.deepEqual(chat.getSnapshot().history[key], { loaded: false, atStart: false });
  // What the subscribers saw last, to compare with what code after an await sees.
  let told = null;
  chat.subscribe(() => (told = chat.getSnapshot()));
  await next(chat, "synced", (e) => e.conversationId === conv.id && chat.getSnapshot().messages[key].length === 20);
  assert.equal(chat.messages(conv.id).length, 20);
  assert.deepEqual(chat.getSnapshot().history[key], { loaded: true, atStart: false });
  assert.equal(await chat.loadOlder(conv.id), true);
  assert.equal(told.messages[key].length, 40, "subscribers heard of the page before loadOlder resolved");
  assert.equal(chat.messages(conv.id).length, 40);
  assert.equal(await chat.loadOlder(conv.id), true);
  const all = chat.messages(conv.id);
  assert.equal(all.length, 45);
  assert.equal(told, chat.getSnapshot(), "the snapshot they were told about is the current one");
  assert.deepEqual(told.history[key], { loaded: true, atStart: true }, "a short page is the start");
  assert.deepEqual(all.map((m) => m.content), Array.from({ length: 45 }, (_, i) => `old ${i}`));
  assert.equal(await chat.loadOlder(conv.id), false, "the start was reached");
});

test("a failed send is kept as failed and retry sends it once", async () => {
  const chat = await start({ realtime: false });
  const conv = await chat.startConversation();
  await server.control("POST", "/faults", { kind: "status", status: 500, method: "POST", pathContains: "/messages" });
  const local = chat.send(conv.id, "try again");
  const failed = await next(chat, "message.failed");
  assert.equal(failed.echoId, local.echoId);
  assert.equal(failed.error.code, "http");
  assert.equal(failed.error.status, 500);
  assert.equal(chat.messages(conv.id)[0].status, "failed");
  const sent = next(chat, "message.sent");
  await chat.retry(local.echoId);
  assert.equal((await sent).echoId, local.echoId);
  const onServer = await server.control("GET", `/conversations/${conv.id}/messages`);
  assert.equal(onServer.filter((m) => m.content === "try again").length, 1);
  await assert.rejects(chat.retry("no-such-echo"), (e) => e.code === "invalid_argument");
});

test("retry does not resend what the server stored although its answer was lost", async () => {
  const chat = await start({ realtime: false, timeoutMs: 400 });
  const conv = await chat.startConversation();
  // The answer comes too late: the client times out, the server still stores it.
  await server.control("POST", "/faults", { kind: "delay", delayMs: 1200, method: "POST", pathContains: "/messages" });
  const local = chat.send(conv.id, "stored anyway");
  const failed = await next(chat, "message.failed");
  assert.equal(failed.error.code, "timeout");
  // Polled: the late request is stored when the server finishes it.
  await until(async () => (await server.control("GET", `/conversations/${conv.id}/messages`)).some((m) => m.content === "stored anyway"), 5_000);
  const sent = next(chat, "message.sent");
  await chat.retry(local.echoId);
  const s = await sent;
  const onServer = await server.control("GET", `/conversations/${conv.id}/messages`);
  const copies = onServer.filter((m) => m.content === "stored anyway");
  assert.equal(copies.length, 1, "not sent twice");
  assert.equal(s.message.id, copies[0].id);
  assert.deepEqual(chat.messages(conv.id).map((m) => m.id), [copies[0].id]);
});

test("typing out is throttled, stops on send; markSeen is debounced", async () => {
  const chat = await start({ realtime: false });
  const conv = await chat.startConversation();
  await server.control("DELETE", "/requests");
  // Polled, not slept on: what is asserted is what reached the server, in order.
  const typingOnServer = async () => (await server.control("GET", `/inboxes/${chat.inbox.identifier}/conversations`)).find((c) => c.id === conv.id).contactTyping;
  chat.typing(conv.id);
  chat.typing(conv.id);
  chat.typing(conv.id);
  await until(typingOnServer);
  chat.send(conv.id, "done typing");
  await until(async () => (await typingOnServer()) === false);
  assert.equal((await requests("toggle_typing")).length, 2, "one `on` for the burst of keys, one `off` on send");
  // Typing again, then stopTyping(): on, then off at once (not after the 5 s idle).
  chat.typing(conv.id);
  await until(async () => (await requests("toggle_typing")).length === 3);
  chat.stopTyping(conv.id);
  await until(async () => (await requests("toggle_typing")).length === 4, 2_000);
  const after = await server.control("GET", `/inboxes/${chat.inbox.identifier}/conversations`);
  assert.equal(after.find((c) => c.id === conv.id).contactTyping, false, "stopTyping sent off");

  chat.markSeen(conv.id);
  chat.markSeen(conv.id);
  chat.markSeen(conv.id);
  await until(async () => (await requests("update_last_seen")).length >= 1);
  // Sentinel: one more markSeen goes through the same debounce; once its receipt is in,
  // a second receipt of the burst would be in too.
  chat.markSeen(conv.id);
  await until(async () => (await requests("update_last_seen")).length >= 2);
  assert.equal((await requests("update_last_seen")).length, 2, "three calls, one read receipt (and the sentinel's)");
});

test("resolve, interactive replies, presence and the snapshot contract", async () => {
  const chat = await start();
  const conv = await chat.startConversation();
  chat.messages(conv.id);
  await next(chat, "synced");
  await open(chat);

  let notified = 0;
  const unsubscribe = chat.subscribe(() => notified++);
  const a = chat.getSnapshot();
  assert.equal(chat.getSnapshot(), a, "same object while nothing changed");
  const created = next(chat, "message.created");
  await server.control("POST", `/conversations/${conv.id}/messages`, {
    content: "Pick one",
    contentType: "input_select",
    contentAttributes: { items: [{ title: "Yes", value: "yes" }, { title: "No", value: "no" }] },
  });
  const question = (await created).message;
  assert.equal(question.contentType, "input_select");
  assert.ok(notified > 0);
  const b = chat.getSnapshot();
  assert.notEqual(b, a);
  assert.equal(b.messages[conv.id].at(-1).id, question.id);
  // Plain data: a structured clone and a JSON round trip give back an equal value
  // (a class instance, a function or undefined would not survive both).
  assert.deepEqual(structuredClone(b), b);
  assert.deepEqual(JSON.parse(JSON.stringify(b)), b);
  unsubscribe();

  const updated = next(chat, "message.updated", (e) => e.message.id === question.id);
  const answered = await chat.submitReply(conv.id, question.id, [{ title: "Yes", value: "yes" }]);
  assert.deepEqual(answered.contentAttributes.submitted_values, [{ title: "Yes", value: "yes" }]);
  await updated;

  const presence = next(chat, "presence", (e) => e.agents["1"] === "busy");
  await server.control("PUT", "/presence", { 1: "busy" });
  await presence;
  assert.equal(chat.getSnapshot().agents["1"], "busy");

  const changes = [];
  chat.on("conversation.status_changed", (e) => changes.push(e.conversation.status));
  const resolved = await chat.resolve(conv.id);
  assert.equal(resolved.status, "resolved");
  // Sentinel: a broadcast sent after the resolve's arrives after it.
  const sentinel = next(chat, "message.created", (e) => e.message.content === "sentinel");
  await server.control("POST", `/conversations/${conv.id}/messages`, { content: "sentinel" });
  await sentinel;
  assert.deepEqual(changes, ["resolved"], "reported once, whether the answer or the socket came first");
});

test("a server restart is followed, and reset() continues as a new contact", async () => {
  const chat = await start();
  await open(chat);
  const states = [];
  chat.on("state", (e) => states.push(e.state));
  await server.control("POST", "/sockets/disconnect", {});
  await next(chat, "state", (e) => e.state === "open", 15_000);
  assert.deepEqual(states.slice(0, 1), ["reconnecting"]);

  const before = chat.contact;
  const conv = await chat.startConversation();
  const after = await chat.reset();
  assert.notEqual(after.sourceId, before.sourceId);
  assert.equal(chat.contact.sourceId, after.sourceId);
  assert.deepEqual(await chat.listConversations(), [], "the new contact has none of the old conversations");
  await next(chat, "state", (e) => e.state === "open", 15_000);
  const sockets = await server.control("GET", "/sockets");
  const tokens = sockets.flatMap((s) => s.subscriptions.filter((x) => x.confirmed).map((x) => x.pubsubToken));
  assert.ok(tokens.includes(after.pubsubToken));
  assert.ok(!tokens.includes(before.pubsubToken), "the old contact's socket is gone");
  // Events of the old contact no longer reach this session.
  const seen = [];
  chat.on("message.created", (e) => seen.push(e.message.content));
  const mine = await chat.startConversation();
  await server.control("POST", `/conversations/${conv.id}/messages`, { content: "to the old contact" });
  // Sentinel: a message to the new contact, posted after, arrives after the old one would.
  const sentinel = next(chat, "message.created", (e) => e.message.content === "to the new contact");
  await server.control("POST", `/conversations/${mine.id}/messages`, { content: "to the new contact" });
  await sentinel;
  assert.deepEqual(seen, ["to the new contact"]);
});

test("two Retry taps send once; two loadOlder calls read one page; loadOlder during the first read waits for it", async () => {
  const chat = await start({ realtime: false });
  const conv = await chat.startConversation();
  await server.control("POST", "/faults", { kind: "status", status: 500, method: "POST", pathContains: "/messages" });
  const local = chat.send(conv.id, "tap tap");
  await next(chat, "message.failed");
  await server.control("DELETE", "/requests");
  await Promise.all([chat.retry(local.echoId), chat.retry(local.echoId)]);
  await until(async () => chat.messages(conv.id).some((m) => m.echoId === local.echoId && m.status === "sent"));
  const onServer = await server.control("GET", `/conversations/${conv.id}/messages`);
  assert.equal(onServer.filter((m) => m.content === "tap tap").length, 1, "one copy on the server");
  assert.equal((await requests("/messages")).filter((r) => r.method === "POST").length, 1, "one POST for both taps");

  const other = await chat.startConversation();
  for (let i = 0; i < 45; i++) await server.control("POST", `/conversations/${other.id}/messages`, { content: `old ${i}` });
  await server.control("DELETE", "/requests");
  chat.messages(other.id); // the newest page is being read…
  assert.equal(await chat.loadOlder(other.id), true, "…and loadOlder gets its answer");
  assert.equal((await requests(`/conversations/${other.id}/messages`)).length, 1, "one read, not two");
  assert.equal(chat.messages(other.id).length, 20);
  await server.control("DELETE", "/requests");
  assert.deepEqual(await Promise.all([chat.loadOlder(other.id), chat.loadOlder(other.id)]), [true, true]);
  assert.equal((await requests(`/conversations/${other.id}/messages`)).length, 1, "the same page once");
  assert.equal(chat.messages(other.id).length, 40);
  assert.equal(await chat.loadOlder(other.id), true);
  assert.equal(chat.messages(other.id).length, 45);
});

test("identify() then reset() at once: the later call wins; close() during identify() settles it", async () => {
  const chat = await start();
  await open(chat);
  const first = chat.contact.sourceId;
  const identified = chat.identify({ identifier: "user-race", name: "Racer" }).then(() => "resolved", (e) => e.code);
  const reset = await chat.reset();
  assert.equal(await identified, "aborted", "identify() was superseded");
  assert.equal(chat.contact.sourceId, reset.sourceId);
  assert.notEqual(reset.sourceId, first);
  await open(chat);
  // The socket follows the latest contact: an agent message to its conversation arrives.
  const conv = await chat.startConversation();
  const got = next(chat, "message.created", (e) => e.conversationId === conv.id);
  await server.control("POST", `/conversations/${conv.id}/messages`, { content: "to the reset contact" });
  assert.equal((await got).message.content, "to the reset contact");

  const pendingIdentify = chat.identify({ identifier: "user-late" }).then(() => "resolved", (e) => e.code);
  chat.close();
  assert.equal(await pendingIdentify, "closed");
});

test("after a reconnect, conversations changed while away are re-read, also ones never opened", async () => {
  let blocked = false;
  // A WebSocket the test can keep from connecting: the session stays away for a while.
  class Gate extends WebSocket {
    constructor(...args) {
      if (blocked) throw new Error("blocked by the test");
      super(...args);
    }
  }
  const chat = await start({ WebSocket: Gate });
  await open(chat);
  const conv = await chat.startConversation();
  const token = chat.contact.pubsubToken;
  blocked = true;
  const away = next(chat, "state", (e) => e.state === "reconnecting");
  await server.control("POST", "/sockets/drop", { token });
  await away;
  await server.control("PATCH", `/conversations/${conv.id}`, { status: "resolved" });
  const changed = next(chat, "conversation.status_changed", (e) => e.conversation.id === conv.id, 20_000);
  blocked = false;
  assert.equal((await changed).conversation.status, "resolved");
  assert.equal(chat.getSnapshot().conversations.find((c) => c.id === conv.id).status, "resolved");
});

test("the snapshot is shared structurally: what did not change keeps its object", async () => {
  const chat = await start();
  const [c1, c2] = [await chat.startConversation(), await chat.startConversation()];
  for (const c of [c1, c2]) chat.messages(c.id);
  await until(() => [c1, c2].every((c) => chat.getSnapshot().history[c.id]?.loaded));
  const post = async (conv, content) => {
    const created = next(chat, "message.created", (e) => e.message.content === content);
    await server.control("POST", `/conversations/${conv.id}/messages`, { content });
    await created;
  };
  await post(c1, "first in one");
  await post(c2, "first in two");
  const a = chat.getSnapshot();
  await post(c1, "second in one");
  const b = chat.getSnapshot();
  // Fails when a snapshot is rebuilt from scratch (every object new).
  assert.notEqual(b, a, "something changed");
  assert.notEqual(b.messages[c1.id], a.messages[c1.id], "the thread that changed is a new array");
  assert.equal(b.messages[c1.id].length, a.messages[c1.id].length + 1);
  assert.equal(b.messages[c1.id][0], a.messages[c1.id][0], "its unchanged message keeps its object");
  assert.equal(b.messages[c2.id], a.messages[c2.id], "an untouched thread keeps its array");
  // (A conversation may change meanwhile: the server updates it after a message.) Every
  // conversation equal to its earlier self is that same object.
  for (const conv of b.conversations) {
    const was = a.conversations.find((c) => c.id === conv.id);
    if (was && JSON.stringify(was) === JSON.stringify(conv)) assert.equal(conv, was, `conversation ${conv.id} keeps its object`);
  }
  assert.equal(chat.getSnapshot(), b, "no change, the same snapshot");
});
