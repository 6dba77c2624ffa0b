// The bug of issue 14, as a regression test: a conversation whose thread was never read
// with messages() (a launcher with an unread badge listens to message.created only)
// must get every message posted while the socket was down, once each, in id order,
// then `synced`. It fails when the catch-up covers read threads only: no event for the
// 45, and no `synced`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ChatSession } from "../../pkg/node.js";
import { startDevserver } from "./devserver.mjs";
import { next, until } from "./events.mjs";

let server;
before(async () => {
  server = await startDevserver();
});
after(() => server?.stop());

test("a conversation never read with messages() loses nothing of a drop", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  const chat = await ChatSession.start({ baseUrl: server.url, inboxIdentifier: identifier, WebSocket, storage: "memory" });
  try {
    if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open");
    const conv = await chat.startConversation();
    const created = [];
    chat.on("message.created", (e) => e.conversationId === conv.id && created.push(e.message.id));
    const order = [];
    chat.on("message.created", () => order.push("created"));
    chat.on("synced", (e) => e.conversationId === conv.id && order.push("synced"));

    // One agent message, live.
    const live = next(chat, "message.created", (e) => e.conversationId === conv.id);
    await server.control("POST", `/conversations/${conv.id}/messages`, { content: "hello" });
    const first = (await live).message.id;

    // The socket drops (a reset, no close frame); 45 messages are posted at once, well
    // inside the first reconnect's backoff (100 ms at least).
    const reconnecting = next(chat, "state", (e) => e.state === "reconnecting");
    await server.control("POST", "/sockets/drop", {});
    const burst = await server.control("POST", `/conversations/${conv.id}/burst`, { kind: "message", count: 45 });
    assert.equal(burst.created, 45);
    await reconnecting;
    const synced = await next(chat, "synced", (e) => e.conversationId === conv.id, 15_000);

    const expected = [first];
    for (let id = burst.firstId; id <= burst.lastId; id++) expected.push(id);
    await until(() => created.length >= expected.length);
    assert.deepEqual(created, expected, "every message once, in id order");
    assert.equal(synced.recovered, 45, "all 45 were missed by the socket and recovered");
    assert.ok(order.lastIndexOf("created") < order.indexOf("synced"), "the recovered ones come before their synced");
    assert.equal(chat.getSnapshot().messages[String(conv.id)].length, 46, "the thread holds them");
  } finally {
    chat.close();
  }
});
