// AccountClient from the built package, in Node, against a devserver this file starts:
// each endpoint's success path, both list shapes, 401 and 404, the token only ever in
// its header, and a conversation an agent creates that the contact's ChatSession uses.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { AccountClient, ChatSession, isChatwootError } from "../../pkg/node.js";
import { startDevserver } from "./devserver.mjs";
import { next } from "./events.mjs";

let server;
const TOKEN = "demo-agent-token";
before(async () => {
  server = await startDevserver();
});
after(() => server?.stop());

const account = (opts = {}) => new AccountClient({ baseUrl: server.url, accountId: 1, apiAccessToken: TOKEN, ...opts });


test("an agent's conversation is the contact's: create, list both shapes, details, then a ChatSession uses it", async () => {
  const { identifier, inboxId } = await server.control("POST", "/inboxes", {});
  const chat = await ChatSession.start({ baseUrl: server.url, inboxIdentifier: identifier, WebSocket, storage: "memory" });
  try {
    if (chat.state !== "open") await next(chat, "state", (e) => e.state === "open");
    const contactId = chat.contact.id;
    const acct = account();
    const announced = next(chat, "conversation.created");
    const created = await acct.createConversation({
      inboxId: String(inboxId),
      contactId,
      assigneeId: "1",
      status: "open",
      customAttributes: { order: "A-1" },
      additionalAttributes: { browser: "node" },
    });
    assert.equal(created.inboxId, inboxId);
    assert.equal(created.meta.sender.id, contactId);
    assert.equal(created.meta.assignee.id, 1);
    assert.equal(created.meta.channel, "Channel::Api");
    assert.deepEqual(created.customAttributes, { order: "A-1" });
    assert.deepEqual(created.additionalAttributes, { browser: "node" });
    assert.deepEqual(created.messages, []);
    assert.equal(created.lastNonActivityMessage, null);
    assert.equal(typeof created.createdAt, "number");
    assert.ok(created.createdAt > 1.6e12, "milliseconds");
    assert.equal((await announced).conversation.id, created.id, "the contact's socket announced it");

    // The contact writes into it; the agent sees it as the last message.
    chat.messages(created.id);
    await next(chat, "synced", (e) => e.conversationId === created.id);
    chat.send(created.id, "hello agent");
    await next(chat, "message.sent");
    const details = await acct.getConversation(created.id);
    assert.equal(details.messages.length, 1);
    assert.equal(details.messages[0].content, "hello agent");
    assert.equal(details.lastNonActivityMessage.content, "hello agent");
    assert.equal(details.unreadCount, 1);
    assert.equal((await acct.getConversation(String(created.id))).id, created.id, "ids as strings");

    const payload = await acct.listContactConversations(contactId);
    assert.deepEqual(payload.map((c) => c.id), [created.id]);
    await server.control("PUT", "/account", { listShape: "bare" });
    const bare = await acct.listContactConversations(String(contactId));
    assert.deepEqual(bare.map((c) => c.id), [created.id], "a bare array reads the same");
    await server.control("PUT", "/account", { listShape: "payload" });
    for (const v of [created, details, payload]) assert.deepEqual(structuredClone(v), v, "plain data");
  } finally {
    chat.close();
  }
});

test("401, 404 and bad input, with the token only in its header and never in an error", async () => {
  const secret = "an-agent-secret-token";
  await server.control("PUT", "/account", { agentToken: secret });
  try {
    await server.control("DELETE", "/requests");
    const wrong = account({ apiAccessToken: "not-the-token" });
    const e401 = await wrong.getConversation(1).then(() => assert.fail("expected unauthorized"), (e) => e);
    assert.ok(isChatwootError(e401));
    assert.equal(e401.code, "unauthorized");
    assert.equal(e401.status, 401);
    assert.ok(!e401.message.includes("not-the-token") && !JSON.stringify(e401).includes("not-the-token"));

    const good = account({ apiAccessToken: secret });
    for (const call of [() => good.getConversation(999_999), () => good.listContactConversations(999_999)]) {
      const e = await call().then(() => assert.fail("expected not_found"), (e) => e);
      assert.equal(e.code, "not_found");
      assert.equal(e.status, 404);
      assert.ok(!JSON.stringify({ ...e, message: e.message }).includes(secret));
    }
    const otherAccount = new AccountClient({ baseUrl: server.url, accountId: 2, apiAccessToken: secret });
    assert.equal((await otherAccount.getConversation(1).catch((e) => e)).code, "not_found");

    const log = await server.control("GET", "/requests");
    assert.ok(log.length >= 4);
    for (const r of log) {
      assert.ok(!r.path.includes(secret), "never in a path");
      if (r.path.startsWith("/api/v1/")) assert.ok(["not-the-token", secret].includes(r.headers.api_access_token));
    }

    for (const [call, what] of [
      [() => good.createConversation({}), "missing inboxId"],
      [() => good.createConversation({ inbox_id: 1 }), "snake_case key"],
      [() => good.createConversation({ inboxId: 1, status: "closed" }), "bad status"],
      [() => good.getConversation(-1), "negative id"],
      [() => good.listContactConversations("12abc"), "not digits"],
    ]) {
      const e = await call().then(() => assert.fail(what), (e) => e);
      assert.equal(e.code, "invalid_argument", what);
    }
    for (const options of [
      { baseUrl: server.url, accountId: 1 },
      { baseUrl: server.url, accountId: 1, apiAccessToken: "" },
      { baseUrl: server.url, accountId: "x", apiAccessToken: secret },
      { baseUrl: `${server.url}/`, accountId: 1, apiAccessToken: secret },
    ]) {
      assert.throws(() => new AccountClient(options), (e) => e.code === "invalid_argument" && !e.message.includes(secret));
    }
  } finally {
    await server.control("PUT", "/account", { agentToken: TOKEN });
  }
});
