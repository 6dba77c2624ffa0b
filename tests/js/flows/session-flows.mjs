// The ChatSession flows, written once and run twice: in Node with `ws`
// (chat-session-flows.test.mjs) and in Chromium with the browser's own WebSocket and
// real localStorage, sessionStorage and an async custom storage
// (session-flows.browser.test.mjs). Each flow gets an `env` (see `environment`) and
// throws on the first failed check; its comments say what would make it fail.
import { check } from "./check.mjs";
import { controller } from "./control.mjs";
import { next, until } from "../events.mjs";

/**
 * What a flow runs against: `ChatSession` from the package entry of its platform, the
 * devserver at `baseUrl`, the `storage` option every session of the flow starts with,
 * `storedValues()` reading that storage back, and `WebSocket` when one is injected.
 */
export function environment({ ChatSession, baseUrl, storage, storedValues, WebSocket }) {
  const sessions = [];
  const control = controller(baseUrl);
  return {
    baseUrl,
    storage,
    storedValues,
    WebSocket,
    control,
    /** A session on a new inbox (or on `inbox.identifier`'s), closed by `cleanup()`. */
    async start(extra = {}, inbox = {}) {
      const { identifier } = inbox.identifier ? inbox : await control("POST", "/inboxes", inbox);
      const options = { baseUrl, inboxIdentifier: identifier, storage, ...extra };
      if (WebSocket && !extra.WebSocket) options.WebSocket = WebSocket;
      const chat = await ChatSession.start(options);
      sessions.push(chat);
      return chat;
    },
    async open(chat) {
      if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open");
    },
    /** Public-API requests whose path contains `part`, since the log was cleared (not
     * the CORS preflights a browser sends before some of them). */
    async requests(part) {
      const log = await control("GET", "/requests");
      return log.filter((r) => r.path.includes(part) && r.method !== "OPTIONS");
    },
    /** Every session closed, no fault still armed. */
    async cleanup() {
      for (const s of sessions.splice(0)) s.close();
      await control("DELETE", "/faults");
    },
  };
}

/** `HMAC-SHA256(secret, text)` in hex, as a site computes `identifier_hash`. */
async function hmacHex(secret, text) {
  const bytes = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", bytes.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes.encode(text)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const flows = [
  {
    name: "history: messages() reads the newest page, loadOlder pages back and says when it is done",
    async run(env) {
      const chat = await env.start({ realtime: false });
      const conv = await chat.startConversation();
      for (let i = 0; i < 45; i++) await env.control("POST", `/conversations/${conv.id}/messages`, { content: `old ${i}` });
      check.deepEqual(chat.messages(conv.id), []);
      const key = String(conv.id);
      check.deepEqual(chat.getSnapshot().history[key], { loaded: false, atStart: false });
      // What the subscribers saw last, to compare with what code after an await sees.
      let told = null;
      chat.subscribe(() => (told = chat.getSnapshot()));
      await next(chat, "synced", (e) => e.conversationId === conv.id && chat.getSnapshot().messages[key].length === 20);
      check.equal(chat.messages(conv.id).length, 20);
      check.deepEqual(chat.getSnapshot().history[key], { loaded: true, atStart: false });
      check.equal(await chat.loadOlder(conv.id), true);
      check.equal(told.messages[key].length, 40, "subscribers heard of the page before loadOlder resolved");
      check.equal(chat.messages(conv.id).length, 40);
      check.equal(await chat.loadOlder(conv.id), true);
      const all = chat.messages(conv.id);
      check.equal(all.length, 45);
      check.equal(told, chat.getSnapshot(), "the snapshot they were told about is the current one");
      check.deepEqual(told.history[key], { loaded: true, atStart: true }, "a short page is the start");
      check.deepEqual(all.map((m) => m.content), Array.from({ length: 45 }, (_, i) => `old ${i}`));
      check.equal(await chat.loadOlder(conv.id), false, "the start was reached");
    },
  },
  {
    name: "a failed send is kept as failed and retry sends it once",
    async run(env) {
      const chat = await env.start({ realtime: false });
      const conv = await chat.startConversation();
      await env.control("POST", "/faults", { kind: "status", status: 500, method: "POST", pathContains: "/messages" });
      const local = chat.send(conv.id, "try again");
      const failed = await next(chat, "message.failed");
      check.equal(failed.echoId, local.echoId);
      check.equal(failed.error.code, "http");
      check.equal(failed.error.status, 500);
      check.equal(chat.messages(conv.id)[0].status, "failed");
      const sent = next(chat, "message.sent");
      await chat.retry(local.echoId);
      check.equal((await sent).echoId, local.echoId);
      const onServer = await env.control("GET", `/conversations/${conv.id}/messages`);
      check.equal(onServer.filter((m) => m.content === "try again").length, 1);
      await check.rejects(chat.retry("no-such-echo"), (e) => e.code === "invalid_argument");
    },
  },
  {
    name: "a send whose answer was lost is queued, then found on the server by the outbox, not sent twice",
    async run(env) {
      const chat = await env.start({ realtime: false, timeoutMs: 400 });
      const conv = await chat.startConversation();
      // The answer comes too late: the client times out, the server still stores it.
      await env.control("POST", "/faults", { kind: "delay", delayMs: 1200, method: "POST", pathContains: "/messages" });
      const sent = next(chat, "message.sent", () => true, 15_000);
      const local = chat.send(conv.id, "stored anyway");
      const queued = await next(chat, "message.queued");
      check.equal(queued.echoId, local.echoId);
      check.equal(chat.messages(conv.id)[0].status, "queued");
      // The outbox looks for it first (2 s or more after a timeout): fails if it is
      // posted again, or never confirmed.
      const s = await sent;
      check.equal(s.echoId, local.echoId);
      const onServer = await env.control("GET", `/conversations/${conv.id}/messages`);
      const copies = onServer.filter((m) => m.content === "stored anyway");
      check.equal(copies.length, 1, "not sent twice");
      check.equal(s.message.id, copies[0].id);
      check.deepEqual(chat.messages(conv.id).map((m) => m.id), [copies[0].id]);
      check.equal((await env.requests(`/conversations/${conv.id}/messages`)).filter((r) => r.method === "POST").length, 1, "one POST");
    },
  },
  {
    name: "typing out is throttled, stops on send; markSeen is debounced",
    async run(env) {
      const chat = await env.start({ realtime: false });
      const conv = await chat.startConversation();
      await env.control("DELETE", "/requests");
      // Polled, not slept on: what is asserted is what reached the server, in order.
      const typingOnServer = async () => (await env.control("GET", `/inboxes/${chat.inbox.identifier}/conversations`)).find((c) => c.id === conv.id).contactTyping;
      chat.typing(conv.id);
      chat.typing(conv.id);
      chat.typing(conv.id);
      await until(typingOnServer);
      chat.send(conv.id, "done typing");
      await until(async () => (await typingOnServer()) === false);
      check.equal((await env.requests("toggle_typing")).length, 2, "one `on` for the burst of keys, one `off` on send");
      // Typing again, then stopTyping(): on, then off at once (not after the 5 s idle).
      chat.typing(conv.id);
      await until(async () => (await env.requests("toggle_typing")).length === 3);
      chat.stopTyping(conv.id);
      await until(async () => (await env.requests("toggle_typing")).length === 4, 2_000);
      const after = await env.control("GET", `/inboxes/${chat.inbox.identifier}/conversations`);
      check.equal(after.find((c) => c.id === conv.id).contactTyping, false, "stopTyping sent off");

      chat.markSeen(conv.id);
      chat.markSeen(conv.id);
      chat.markSeen(conv.id);
      await until(async () => (await env.requests("update_last_seen")).length >= 1);
      // Sentinel: one more markSeen goes through the same debounce; once its receipt is in,
      // a second receipt of the burst would be in too.
      chat.markSeen(conv.id);
      await until(async () => (await env.requests("update_last_seen")).length >= 2);
      check.equal((await env.requests("update_last_seen")).length, 2, "three calls, one read receipt (and the sentinel's)");
    },
  },
  {
    name: "resolve, interactive replies, presence and the snapshot contract",
    async run(env) {
      const chat = await env.start();
      const conv = await chat.startConversation();
      chat.messages(conv.id);
      await next(chat, "synced");
      await env.open(chat);

      let notified = 0;
      const unsubscribe = chat.subscribe(() => notified++);
      const a = chat.getSnapshot();
      check.equal(chat.getSnapshot(), a, "same object while nothing changed");
      const created = next(chat, "message.created");
      await env.control("POST", `/conversations/${conv.id}/messages`, {
        content: "Pick one",
        contentType: "input_select",
        contentAttributes: { items: [{ title: "Yes", value: "yes" }, { title: "No", value: "no" }] },
      });
      const question = (await created).message;
      check.equal(question.contentType, "input_select");
      check.ok(notified > 0);
      const b = chat.getSnapshot();
      check.notEqual(b, a);
      check.equal(b.messages[conv.id].at(-1).id, question.id);
      // Plain data: a structured clone and a JSON round trip give back an equal value
      // (a class instance, a function or undefined would not survive both).
      check.deepEqual(structuredClone(b), b);
      check.deepEqual(JSON.parse(JSON.stringify(b)), b);
      unsubscribe();

      const updated = next(chat, "message.updated", (e) => e.message.id === question.id);
      const answered = await chat.submitReply(conv.id, question.id, [{ title: "Yes", value: "yes" }]);
      check.deepEqual(answered.contentAttributes.submitted_values, [{ title: "Yes", value: "yes" }]);
      await updated;

      const presence = next(chat, "presence", (e) => e.agents["1"] === "busy");
      await env.control("PUT", "/presence", { 1: "busy" });
      await presence;
      check.equal(chat.getSnapshot().agents["1"], "busy");

      const changes = [];
      chat.on("conversation.status_changed", (e) => changes.push(e.conversation.status));
      const resolved = await chat.resolve(conv.id);
      check.equal(resolved.status, "resolved");
      // Sentinel: a broadcast sent after the resolve's arrives after it.
      const sentinel = next(chat, "message.created", (e) => e.message.content === "sentinel");
      await env.control("POST", `/conversations/${conv.id}/messages`, { content: "sentinel" });
      await sentinel;
      check.deepEqual(changes, ["resolved"], "reported once, whether the answer or the socket came first");
    },
  },
  {
    name: "a server restart is followed, and reset() continues as a new contact",
    async run(env) {
      const chat = await env.start();
      await env.open(chat);
      const states = [];
      chat.on("state", (e) => states.push(e.state));
      await env.control("POST", "/sockets/disconnect", {});
      await next(chat, "state", (e) => e.state === "open", 15_000);
      check.deepEqual(states.slice(0, 1), ["reconnecting"]);

      const before = chat.contact;
      const conv = await chat.startConversation();
      const after = await chat.reset();
      check.notEqual(after.sourceId, before.sourceId);
      check.equal(chat.contact.sourceId, after.sourceId);
      check.deepEqual(await chat.listConversations(), [], "the new contact has none of the old conversations");
      // Polled (the socket may be open again before or after listConversations()
      // answers): fails if the new contact is never subscribed or the old one stays.
      const confirmed = async () => (await env.control("GET", "/sockets")).flatMap((s) => s.subscriptions.filter((x) => x.confirmed).map((x) => x.pubsubToken));
      await until(async () => {
        const tokens = await confirmed();
        return tokens.includes(after.pubsubToken) && !tokens.includes(before.pubsubToken);
      }, 15_000);
      await env.open(chat);
      // Events of the old contact no longer reach this session.
      const seen = [];
      chat.on("message.created", (e) => seen.push(e.message.content));
      const mine = await chat.startConversation();
      await env.control("POST", `/conversations/${conv.id}/messages`, { content: "to the old contact" });
      // Sentinel: a message to the new contact, posted after, arrives after the old one would.
      const sentinel = next(chat, "message.created", (e) => e.message.content === "to the new contact");
      await env.control("POST", `/conversations/${mine.id}/messages`, { content: "to the new contact" });
      await sentinel;
      check.deepEqual(seen, ["to the new contact"]);
    },
  },
  {
    name: "two Retry taps send once; two loadOlder calls read one page; loadOlder during the first read waits for it",
    async run(env) {
      const chat = await env.start({ realtime: false });
      const conv = await chat.startConversation();
      await env.control("POST", "/faults", { kind: "status", status: 500, method: "POST", pathContains: "/messages" });
      const local = chat.send(conv.id, "tap tap");
      await next(chat, "message.failed");
      await env.control("DELETE", "/requests");
      await Promise.all([chat.retry(local.echoId), chat.retry(local.echoId)]);
      await until(async () => chat.messages(conv.id).some((m) => m.echoId === local.echoId && m.status === "sent"));
      const onServer = await env.control("GET", `/conversations/${conv.id}/messages`);
      check.equal(onServer.filter((m) => m.content === "tap tap").length, 1, "one copy on the server");
      check.equal((await env.requests("/messages")).filter((r) => r.method === "POST").length, 1, "one POST for both taps");

      const other = await chat.startConversation();
      for (let i = 0; i < 45; i++) await env.control("POST", `/conversations/${other.id}/messages`, { content: `old ${i}` });
      await env.control("DELETE", "/requests");
      chat.messages(other.id); // the newest page is being read…
      check.equal(await chat.loadOlder(other.id), true, "…and loadOlder gets its answer");
      check.equal((await env.requests(`/conversations/${other.id}/messages`)).length, 1, "one read, not two");
      check.equal(chat.messages(other.id).length, 20);
      await env.control("DELETE", "/requests");
      check.deepEqual(await Promise.all([chat.loadOlder(other.id), chat.loadOlder(other.id)]), [true, true]);
      check.equal((await env.requests(`/conversations/${other.id}/messages`)).length, 1, "the same page once");
      check.equal(chat.messages(other.id).length, 40);
      check.equal(await chat.loadOlder(other.id), true);
      check.equal(chat.messages(other.id).length, 45);
    },
  },
  {
    name: "identify() then reset() at once: the later call wins; close() during identify() settles it",
    async run(env) {
      const chat = await env.start();
      await env.open(chat);
      const first = chat.contact.sourceId;
      const identified = chat.identify({ identifier: "user-race", name: "Racer" }).then(() => "resolved", (e) => e.code);
      const reset = await chat.reset();
      check.equal(await identified, "aborted", "identify() was superseded");
      check.equal(chat.contact.sourceId, reset.sourceId);
      check.notEqual(reset.sourceId, first);
      await env.open(chat);
      // The socket follows the latest contact: an agent message to its conversation arrives.
      const conv = await chat.startConversation();
      const got = next(chat, "message.created", (e) => e.conversationId === conv.id);
      await env.control("POST", `/conversations/${conv.id}/messages`, { content: "to the reset contact" });
      check.equal((await got).message.content, "to the reset contact");

      const pendingIdentify = chat.identify({ identifier: "user-late" }).then(() => "resolved", (e) => e.code);
      chat.close();
      check.equal(await pendingIdentify, "closed");
    },
  },
  {
    name: "after a reconnect, conversations changed while away are re-read, also ones never opened",
    async run(env) {
      let blocked = false;
      // A WebSocket the test can keep from connecting: the session stays away for a while.
      class Gate extends (env.WebSocket ?? globalThis.WebSocket) {
        constructor(...args) {
          if (blocked) throw new Error("blocked by the test");
          super(...args);
        }
      }
      const chat = await env.start({ WebSocket: Gate });
      await env.open(chat);
      const conv = await chat.startConversation();
      const token = chat.contact.pubsubToken;
      blocked = true;
      const away = next(chat, "state", (e) => e.state === "reconnecting");
      await env.control("POST", "/sockets/drop", { token });
      await away;
      await env.control("PATCH", `/conversations/${conv.id}`, { status: "resolved" });
      const changed = next(chat, "conversation.status_changed", (e) => e.conversation.id === conv.id, 20_000);
      blocked = false;
      check.equal((await changed).conversation.status, "resolved");
      check.equal(chat.getSnapshot().conversations.find((c) => c.id === conv.id).status, "resolved");
    },
  },
  {
    name: "the snapshot is shared structurally: what did not change keeps its object",
    async run(env) {
      const chat = await env.start();
      const [c1, c2] = [await chat.startConversation(), await chat.startConversation()];
      for (const c of [c1, c2]) chat.messages(c.id);
      await until(() => [c1, c2].every((c) => chat.getSnapshot().history[c.id]?.loaded));
      const post = async (conv, content) => {
        const created = next(chat, "message.created", (e) => e.message.content === content);
        await env.control("POST", `/conversations/${conv.id}/messages`, { content });
        await created;
      };
      await post(c1, "first in one");
      await post(c2, "first in two");
      const a = chat.getSnapshot();
      await post(c1, "second in one");
      const b = chat.getSnapshot();
      // Fails when a snapshot is rebuilt from scratch (every object new).
      check.notEqual(b, a, "something changed");
      check.notEqual(b.messages[c1.id], a.messages[c1.id], "the thread that changed is a new array");
      check.equal(b.messages[c1.id].length, a.messages[c1.id].length + 1);
      check.equal(b.messages[c1.id][0], a.messages[c1.id][0], "its unchanged message keeps its object");
      check.equal(b.messages[c2.id], a.messages[c2.id], "an untouched thread keeps its array");
      // (A conversation may change meanwhile: the server updates it after a message.) Every
      // conversation equal to its earlier self is that same object.
      for (const conv of b.conversations) {
        const was = a.conversations.find((c) => c.id === conv.id);
        if (was && JSON.stringify(was) === JSON.stringify(conv)) check.equal(conv, was, `conversation ${conv.id} keeps its object`);
      }
      check.equal(chat.getSnapshot(), b, "no change, the same snapshot");
      // The arrays a snapshot extends in place of rebuilding hold what the session holds.
      for (const c of [c1, c2]) {
        check.deepEqual(chat.getSnapshot().messages[c.id].map((m) => m.id), chat.messages(c.id).map((m) => m.id));
        check.deepEqual(chat.getSnapshot().messages[c.id].map((m) => m.content), chat.messages(c.id).map((m) => m.content));
      }
    },
  },
  {
    name: "a conversation never read with messages() loses nothing of a drop",
    async run(env) {
      // Fails when the catch-up covers read threads only: no event for the 45, and no
      // `synced`.
      const chat = await env.start();
      await env.open(chat);
      const conv = await chat.startConversation();
      const created = [];
      chat.on("message.created", (e) => e.conversationId === conv.id && created.push(e.message.id));
      const order = [];
      chat.on("message.created", () => order.push("created"));
      chat.on("synced", (e) => e.conversationId === conv.id && order.push("synced"));

      const live = next(chat, "message.created", (e) => e.conversationId === conv.id);
      await env.control("POST", `/conversations/${conv.id}/messages`, { content: "hello" });
      const first = (await live).message.id;

      // The socket drops (a reset, no close frame); 45 messages are posted at once, well
      // inside the first reconnect's backoff (100 ms at least).
      const reconnecting = next(chat, "state", (e) => e.state === "reconnecting");
      await env.control("POST", "/sockets/drop", {});
      const burst = await env.control("POST", `/conversations/${conv.id}/burst`, { kind: "message", count: 45 });
      check.equal(burst.created, 45);
      await reconnecting;
      const synced = await next(chat, "synced", (e) => e.conversationId === conv.id, 15_000);

      const expected = [first];
      for (let id = burst.firstId; id <= burst.lastId; id++) expected.push(id);
      await until(() => created.length >= expected.length);
      check.deepEqual(created, expected, "every message once, in id order");
      check.equal(synced.recovered, 45, "all 45 were missed by the socket and recovered");
      check.ok(order.lastIndexOf("created") < order.indexOf("synced"), "the recovered ones come before their synced");
      check.equal(chat.getSnapshot().messages[String(conv.id)].length, 46, "the thread holds them");
    },
  },
  {
    name: "a stored session is resumed from the storage, a forgotten one heals, identify verifies and re-subscribes",
    async run(env) {
      const inbox = await env.control("POST", "/inboxes", {});
      const a = await env.start({ realtime: false }, inbox);
      const first = a.contact.sourceId;
      check.equal(a.state, "closed");
      // Fails when nothing reached the storage the session was given.
      const stored = (await env.storedValues()).filter((v) => v.includes(first));
      check.equal(stored.length, 1, "the contact is in the storage");
      a.close();
      const b = await env.start({ realtime: false }, inbox);
      check.equal(b.contact.sourceId, first, "resumed from storage");
      b.close();
      // The server forgot the session (reset): start makes a new one instead of failing.
      await env.control("POST", "/reset");
      const again = await env.control("POST", "/inboxes", { identifier: inbox.identifier });
      check.equal(again.identifier, inbox.identifier);
      const c = await env.start({ realtime: false }, again);
      check.notEqual(c.contact.sourceId, first);
      check.ok((await env.storedValues()).some((v) => v.includes(c.contact.sourceId)), "the healed contact replaced it");

      const hash = await hmacHex(again.hmacToken, "user-42");
      const chat = await env.start({}, again);
      const before = chat.contact.pubsubToken;
      const who = await chat.identify({ identifier: "user-42", identifierHash: hash, name: "Ana User" });
      check.notEqual(who.pubsubToken, before);
      check.equal(chat.contact.sourceId, who.sourceId);
      await next(chat, "state", (e) => e.state === "open");
      const sockets = await env.control("GET", "/sockets");
      check.ok(JSON.stringify(sockets).includes(who.pubsubToken), "subscribed with the new token");
      await check.rejects(chat.identify({ identifier: "user-42", identifierHash: "0".repeat(64) }), (e) => e.code === "identity");
    },
  },
  {
    name: "two live sessions of one visitor (two tabs on one storage) share the contact and hear each other once",
    async run(env) {
      const inbox = await env.control("POST", "/inboxes", {});
      const a = await env.start({}, inbox);
      const b = await env.start({}, inbox);
      // Fails when the second session does not take the stored contact.
      check.equal(b.contact.sourceId, a.contact.sourceId, "one visitor");
      await Promise.all([env.open(a), env.open(b)]);
      const conv = await a.startConversation();
      const heard = { a: [], b: [] };
      a.on("message.created", (e) => heard.a.push(e.message.content));
      b.on("message.created", (e) => heard.b.push(e.message.content));
      // What one tab sends, the other hears over its socket; the agent's reply reaches
      // both. The reply is the sentinel: it is posted after the send was stored.
      const sent = [];
      a.on("message.sent", (e) => sent.push(e.echoId));
      const local = a.send(conv.id, "from tab a");
      await next(a, "message.sent", (e) => e.echoId === local.echoId);
      const replied = Promise.all([a, b].map((chat) => next(chat, "message.created", (e) => e.message.content === "agent reply")));
      await env.control("POST", `/conversations/${conv.id}/messages`, { content: "agent reply" });
      await replied;
      check.deepEqual(heard.b, ["from tab a", "agent reply"], "the other tab hears the send once, then the reply");
      // The sending tab reports its own message as pending then sent, not as created.
      check.deepEqual(heard.a, ["agent reply"]);
      check.deepEqual(sent, [local.echoId], "sent once");
      check.deepEqual(b.messages(conv.id).map((m) => m.content), ["from tab a", "agent reply"]);
      check.deepEqual(
        b.messages(conv.id).map((m) => m.id),
        a.messages(conv.id).map((m) => m.id),
      );
    },
  },
];
