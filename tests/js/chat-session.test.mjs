// ChatSession in Node ≥ 20 against the devserver, realtime through the `ws` package:
// optimistic send reconciled once, agent messages, typing (private ignored), status
// changes, a silent socket noticed, catch-up after a dropped socket, bad input, close().
// (Session persistence, identify() and the other flows: flows/session-flows.mjs.)
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ChatSession, diagnostics, isChatwootError } from "../../pkg/node.js";
import { startDevserver } from "./devserver.mjs";
import { next, until } from "./events.mjs";

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

async function start(inboxIdentifier, extra = {}) {
  const chat = await ChatSession.start({ baseUrl: server.url, inboxIdentifier, WebSocket, storage: "memory", ...extra });
  sessions.push(chat);
  return chat;
}



test("start connects, send is optimistic and reconciled exactly once", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  const chat = await start(identifier);
  assert.equal(chat.inbox.identifier, identifier);
  assert.ok(chat.contact.sourceId && chat.contact.pubsubToken);
  if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open");
  const conv = await chat.startConversation();
  assert.deepEqual(chat.messages(conv.id), []);
  await next(chat, "synced", (e) => e.conversationId === conv.id);

  const events = [];
  for (const t of ["message.pending", "message.sent", "message.created", "message.failed"]) chat.on(t, (e) => events.push(e));
  const local = chat.send(conv.id, "hello from node");
  assert.equal(local.status, "sending");
  assert.ok(local.echoId);
  assert.ok(local.id < 0, "a local message has a negative id until the server gives one");
  assert.equal(chat.messages(conv.id).length, 1);
  const sent = await next(chat, "message.sent", (e) => e.echoId === local.echoId);
  assert.ok(sent.message.id > 0);
  // Both confirmations in: the HTTP reply (no request of the SDK left in flight), and
  // the socket echo (an agent message posted after it is broadcast after it).
  await until(() => diagnostics().calls === 0);
  const sentinel = next(chat, "message.created", (e) => e.message.content === "sentinel");
  await server.control("POST", `/conversations/${conv.id}/messages`, { content: "sentinel" });
  const agent = (await sentinel).message.id;
  assert.deepEqual(events.map((e) => e.type), ["message.pending", "message.sent", "message.created"]);
  assert.equal(events[2].message.id, agent, "the only created is the sentinel's");
  const list = chat.messages(conv.id);
  assert.deepEqual(list.map((m) => m.id), [sent.message.id, agent]);
  assert.equal(list[0].content, "hello from node");
  const onServer = await server.control("GET", `/conversations/${conv.id}/messages`);
  assert.equal(onServer.filter((m) => m.content === "hello from node").length, 1);
  assert.equal(onServer[0].echoId, local.echoId, "the echo id reached the server");
});

test("agent messages, typing (private ignored), presence and status arrive over the socket", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  const chat = await start(identifier);
  const conv = await chat.startConversation();
  chat.messages(conv.id);
  await next(chat, "synced");
  if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open");

  const created = next(chat, "message.created");
  await server.control("POST", `/conversations/${conv.id}/messages`, { content: "agent says hi" });
  const e = await created;
  assert.equal(e.conversationId, conv.id);
  assert.equal(e.message.content, "agent says hi");
  assert.equal(e.message.messageType, "outgoing");
  assert.equal(e.message.sender.kind, "user");

  const typing = [];
  chat.on("typing", (t) => typing.push(t));
  await server.control("POST", `/conversations/${conv.id}/typing`, { typingStatus: "on", isPrivate: true });
  const on = next(chat, "typing");
  await server.control("POST", `/conversations/${conv.id}/typing`, { typingStatus: "on" });
  const t = await on;
  assert.equal(t.typing, true);
  assert.equal(typing.length, 1, "the private typing event was ignored");
  assert.equal(chat.getSnapshot().typing[conv.id].kind, "user");

  const status = next(chat, "conversation.status_changed");
  await server.control("PATCH", `/conversations/${conv.id}`, { status: "resolved" });
  assert.equal((await status).conversation.status, "resolved");
});

test("a silent socket is noticed, a dropped one reconnected, and what was missed is caught up, once", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  const chat = await start(identifier);
  const conv = await chat.startConversation();
  chat.messages(conv.id);
  await next(chat, "synced");
  if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open");
  const created = [];
  chat.on("message.created", (e) => created.push(e.message.id));

  // A silent socket (pings paused, the connection still up): noticed on its own.
  await server.control("POST", "/sockets/pings", { paused: true });
  const silent = Date.now();
  await next(chat, "state", (e) => e.state === "reconnecting", 20_000);
  assert.ok(Date.now() - silent >= 5_000, "not before the socket had been silent a while");
  await server.control("POST", "/sockets/pings", { paused: false });
  if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open", 15_000);

  // A dropped socket: what was posted meanwhile (at once, inside the first reconnect's
  // backoff of 100 ms or more) is caught up, once. Fails if any of the 25 arrives
  // otherwise than through the catch-up, or twice.
  const reconnecting = next(chat, "state", (e) => e.state === "reconnecting", 15_000);
  await server.control("POST", "/sockets/drop", {});
  const burst = await server.control("POST", `/conversations/${conv.id}/burst`, { kind: "message", count: 25 });
  assert.equal(burst.created, 25);
  await reconnecting;
  // (An earlier catch-up's synced, with nothing recovered, may still be on its way.)
  const synced = await next(chat, "synced", (e) => e.conversationId === conv.id && e.recovered > 0, 15_000);
  assert.equal(synced.recovered, 25);
  await until(() => chat.messages(conv.id).length === 25);
  assert.equal(new Set(created).size, created.length, "no id emitted twice");
  assert.equal(created.length, 25);
  const ids = chat.messages(conv.id).map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
});

test("bad input is refused clearly; a closed session says so", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  await assert.rejects(ChatSession.start({ baseUrl: server.url + "/", inboxIdentifier: identifier }), (e) => e.code === "invalid_argument");
  await assert.rejects(ChatSession.start({ baseUrl: server.url, inboxIdentifier: "nope", WebSocket }), (e) => e.code === "not_found");
  await assert.rejects(ChatSession.start({ baseUrl: server.url, inboxIdentifier: identifier, storage: "disk" }), (e) => e.code === "invalid_argument");
  const chat = await start(identifier);
  const conv = await chat.startConversation();
  assert.throws(() => chat.send(conv.id, ""), (e) => isChatwootError(e) && e.code === "invalid_argument");
  assert.throws(() => chat.send(conv.id, 42), (e) => e.code === "invalid_argument");
  // A throwing listener is reported on `error` and does not stop the session.
  const reported = next(chat, "error");
  chat.on("message.pending", () => {
    throw new Error("listener bug");
  });
  chat.send(conv.id, "still works");
  const rep = await reported;
  assert.equal(rep.error.code, "listener", rep.error.message);
  await next(chat, "message.sent");
  chat.close();
  assert.equal(chat.state, "closed");
  assert.throws(() => chat.send(conv.id, "after close"), (e) => e.code === "closed");
  await assert.rejects(chat.listConversations(), (e) => e.code === "closed");
});

test("a WebSocket that refuses to open is said on `error` and retried until one opens", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  let refusals = 2;
  // What a page's CSP or a platform's WebSocket does with a URL it will not open.
  class Refusing extends WebSocket {
    constructor(...args) {
      if (refusals > 0) {
        refusals--;
        throw new SyntaxError("refused by policy");
      }
      super(...args);
    }
  }
  const errors = [];
  const chat = await start(identifier, { WebSocket: Refusing });
  chat.on("error", (e) => errors.push(e.error));
  if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open", 15_000);
  assert.equal(refusals, 0, "both refusals were met before the socket opened");
  assert.ok(errors.length >= 1, "at least the refusal after start() was reported");
  for (const e of errors) {
    assert.ok(isChatwootError(e) && e.code === "network", `${e.code}: ${e.message}`);
    assert.match(e.message, /could not be opened: refused by policy/);
  }
  const conv = await chat.startConversation();
  chat.send(conv.id, "through the third socket");
  await next(chat, "message.sent");
  chat.close();
});
