// The devserver's /cable against a real peer: the official ActionCable client
// (@rails/actioncable, the library Chatwoot's own widget uses) subscribes to RoomChannel
// with a contact's pubsub_token, gets `connected`, receives a message.created broadcast
// of an agent reply, answers update_presence, and sees a server_restart disconnect.
//
// @rails/actioncable is written for browsers. What it needs in Node, and nothing more:
// - a WebSocket class: the `ws` package, given through the library's own hook
//   (`adapters.WebSocket`; it would otherwise read a global `WebSocket` at import);
// - global `addEventListener` / `removeEventListener`: its ConnectionMonitor listens for
//   `visibilitychange` on `window` when it starts and stops; no-ops here (that event
//   never fires in Node, so `document` is never read);
// - no `document` otherwise: it is only used to resolve a relative URL or read a
//   <meta> config, and the consumer below is given an absolute ws:// URL.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import ActionCable from "@rails/actioncable";
import { startDevserver } from "./devserver.mjs";

globalThis.addEventListener ??= () => {};
globalThis.removeEventListener ??= () => {};
ActionCable.adapters.WebSocket = WebSocket;

let server;
const consumers = [];
before(async () => {
  server = await startDevserver();
});
after(() => {
  for (const c of consumers) c.disconnect();
  server?.stop();
});

const inbox = "/public/api/v1/inboxes/demo-inbox";

async function api(method, path, body) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(res.status, 200, `${method} ${path}: ${res.status}`);
  return res.json();
}

/** A contact session with one conversation. */
async function contactWithConversation() {
  const session = await api("POST", `${inbox}/contacts`, {});
  const conversation = await api("POST", `${inbox}/contacts/${session.source_id}/conversations`, {});
  return { session, conversation };
}

function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Subscribe with the official client; `waitFor(pred, from)` resolves with the first
 * received data matching `pred`, counting from the `from`-th received (default: all). */
function subscribe(token) {
  const consumer = ActionCable.createConsumer(`${server.url.replace(/^http/, "ws")}/cable`);
  consumers.push(consumer);
  const received = [];
  const waiters = [];
  let connectedResolve;
  let disconnectedResolve;
  const connected = new Promise((r) => (connectedResolve = r));
  const disconnected = new Promise((r) => (disconnectedResolve = r));
  const subscription = consumer.subscriptions.create(
    { channel: "RoomChannel", pubsub_token: token },
    {
      connected: () => connectedResolve(),
      disconnected: (info) => disconnectedResolve(info),
      rejected: () => connectedResolve(Promise.reject(new Error("subscription rejected"))),
      received(data) {
        received.push(data);
        for (const w of waiters.splice(0)) {
          if (w.pred(data)) w.resolve(data);
          else waiters.push(w);
        }
      },
    },
  );
  const waitFor = (pred, from = 0) => {
    const seen = received.slice(from).find(pred);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ pred, resolve }));
  };
  return { consumer, subscription, connected, disconnected, waitFor, count: () => received.length };
}

test("the official client connects, subscribes and receives an agent's message", async () => {
  const { session, conversation } = await contactWithConversation();
  const peer = subscribe(session.pubsub_token);
  await within(peer.connected, 5_000, "connected");
  assert.equal(peer.consumer.connection.getProtocol(), "actioncable-v1-json");

  const sockets = await server.control("GET", "/sockets");
  assert.ok(
    sockets.some((s) => s.subscriptions.some((x) => x.pubsubToken === session.pubsub_token && x.confirmed)),
    JSON.stringify(sockets),
  );

  const sent = await server.control("POST", `/conversations/${conversation.id}/messages`, {
    content: "Hello from the agent",
  });
  const event = await within(
    peer.waitFor((d) => d.event === "message.created"),
    5_000,
    "message.created",
  );
  assert.equal(event.data.id, sent.id);
  assert.equal(event.data.content, "Hello from the agent");
  assert.equal(event.data.message_type, 1);
  assert.equal(event.data.conversation_id, conversation.id);
  assert.equal(event.data.conversation.contact_inbox.source_id, session.source_id);
  assert.equal(event.data.sender.type, "user");
  assert.equal(event.data.account_id, 1);

  // update_presence through the client's perform() (data sent as a JSON string).
  const from = peer.count();
  peer.subscription.perform("update_presence");
  const presence = await within(
    peer.waitFor((d) => d.event === "presence.update", from),
    5_000,
    "presence.update",
  );
  assert.deepEqual(presence.data, { account_id: 1, users: { 1: "online" } });
});

test("a server_restart disconnect tells the official client to reconnect", async () => {
  const { session } = await contactWithConversation();
  const peer = subscribe(session.pubsub_token);
  await within(peer.connected, 5_000, "connected");
  const answer = await server.control("POST", "/sockets/disconnect", { token: session.pubsub_token });
  assert.deepEqual(answer, { disconnected: 1 });
  const info = await within(peer.disconnected, 5_000, "disconnected");
  assert.deepEqual(info, { willAttemptReconnect: true });
});
