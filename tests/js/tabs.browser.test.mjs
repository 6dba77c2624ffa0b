// Shared tabs in Chromium against the devserver: the tabs of one visitor (pages of one
// browser context, one localStorage) keep one socket between them. The devserver counts
// the subscribed sockets of the visitor's token; every tab counts the `message.created`
// of each agent message. It fails if a tab misses or doubles a message, if two tabs hold
// sockets, if nobody takes over when the leader's tab closes, or if identify()/reset()
// in one tab leaves its siblings behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServers } from "./suite.mjs";
import { startCounting, until, socketsOf as socketsAt } from "./tabs-kit.mjs";

let server, files, context;
useServers((s) => ({ server, files, context } = s));
const socketsOf = (token) => socketsAt(server, token);

/** A new page of the context with a started session; its page errors collected. */
async function openTab(inbox, errors) {
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
  const source = await page.evaluate(startCounting, { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inbox });
  return { page, source };
}

const role = (page) => page.evaluate(() => window.tab.chat.tab);
const stateOf = (page) => page.evaluate(() => window.tab.chat.state);


const tokenOf = (page) => page.evaluate(() => window.tab.chat.contact.pubsubToken);

/** Each tab's count of every id in `ids` (one entry per tab). */
const counts = (tabs, ids) => Promise.all(tabs.map((t) => t.page.evaluate((ids) => ids.map((id) => window.tab.seen[id] ?? 0), ids)));

async function agentSays(conversation, n, prefix) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const m = await server.control("POST", `/conversations/${conversation}/messages`, { content: `${prefix} ${i}` });
    ids.push(m.id);
  }
  return ids;
}

/** Until every tab in `tabs` has seen every id in `ids`; then none may have seen one twice. */
async function everyTabHasEach(tabs, ids, what) {
  await until(async () => (await counts(tabs, ids)).every((list) => list.every((c) => c >= 1)), `${what}: every tab has every message`, 20_000);
  const seen = await counts(tabs, ids);
  seen.forEach((list, i) => assert.deepEqual(list.filter((c) => c !== 1), [], `${what}: tab ${i} has each exactly once`));
}

/** A first tab on a new inbox, leading and live, with a conversation started. */
async function leaderWithConversation(errors) {
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const a = await openTab(inbox, errors);
  await until(async () => (await role(a.page)) === "leader" && (await stateOf(a.page)) === "open", "the first tab leads, live");
  const conversation = await a.page.evaluate(async () => (await window.tab.chat.startConversation()).id);
  return { inbox, a, conversation };
}

test("three tabs of one visitor keep one socket; an agent message reaches every tab once; the leader's tab closing loses nothing", async () => {
  const errors = [];
  const { inbox, a, conversation } = await leaderWithConversation(errors);
  const b = await openTab(inbox, errors);
  const c = await openTab(inbox, errors);
  assert.equal(b.source, a.source, "one visitor: the same contact in every tab");
  assert.equal(c.source, a.source);
  const tabs = [a, b, c];
  await until(async () => (await Promise.all(tabs.map((t) => stateOf(t.page)))).every((s) => s === "open"), "every tab open");
  assert.deepEqual(await Promise.all(tabs.map((t) => role(t.page))), ["leader", "follower", "follower"]);
  const token = await tokenOf(a.page);
  assert.equal(await socketsOf(token), 1, "one subscribed socket for the three tabs");

  const first = await agentSays(conversation, 3, "hello");
  await everyTabHasEach(tabs, first, "live");

  // The leader's tab goes; one of the others takes over, and messages sent meanwhile
  // reach both remaining tabs exactly once (relayed, or caught up after the takeover).
  const closedAt = Date.now();
  await a.page.close();
  const during = await agentSays(conversation, 5, "during the takeover");
  const rest = [b, c];
  const leader = await until(async () => {
    const roles = await Promise.all(rest.map((t) => role(t.page)));
    return roles.filter((r) => r === "leader").length === 1 && roles;
  }, "a new leader");
  const takeover = Date.now() - closedAt;
  assert.ok(takeover < 3_000, `taken over within 3 s (${takeover} ms)`);
  assert.deepEqual([...leader].sort(), ["follower", "leader"]);
  await everyTabHasEach(rest, [...first, ...during], "after the takeover");
  const after = await agentSays(conversation, 3, "after");
  await everyTabHasEach(rest, [...first, ...during, ...after], "after");
  await until(async () => (await socketsOf(token)) === 1, "one socket again");
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await socketsOf(token), 1, "and only one");
  assert.deepEqual(errors, []);
  for (const t of rest) await t.page.close();
});

test("markSeen, typing and sends work from a follower; identify() and reset() in one tab move the others along", async () => {
  const errors = [];
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const a = await openTab(inbox, errors);
  await until(async () => (await role(a.page)) === "leader", "a leads");
  const b = await openTab(inbox, errors);
  await until(async () => (await stateOf(b.page)) === "open", "b open");
  assert.equal(await role(b.page), "follower");

  // A follower sends; its own message arrives in the leader's tab through the relay.
  const sent = await b.page.evaluate(async () => {
    const chat = window.tab.chat;
    const conv = await chat.startConversation();
    chat.typing(conv.id);
    await chat.markSeen(conv.id);
    const local = chat.send(conv.id, "from the follower");
    await new Promise((resolve) => chat.on("message.sent", (e) => e.echoId === local.echoId && resolve()));
    return conv.id;
  });
  await until(() => a.page.evaluate((conv) => (window.tab.chat.messages(conv) ?? []).some((m) => m.content === "from the follower"), sent), "the leader's tab has the follower's message");
  const stored = await server.control("GET", `/conversations/${sent}/messages`);
  assert.equal(stored.filter((m) => m.content === "from the follower").length, 1, "on the server once");

  // identify() in the follower: the leader's tab follows to the same contact.
  const user = await b.page.evaluate(async () => (await window.tab.chat.identify({ identifier: "tab-user-1", name: "Tab User" })).sourceId);
  await until(async () => (await a.page.evaluate(() => window.tab.chat.contact.sourceId)) === user, "the other tab follows identify()");
  await until(async () => (await Promise.all([a, b].map((t) => stateOf(t.page)))).every((s) => s === "open"), "both open again");
  const token = await tokenOf(b.page);
  assert.equal(await tokenOf(a.page), token);
  await until(async () => (await socketsOf(token)) === 1, "one socket for the identified user");

  // reset() in the leader's tab: the follower follows to the new anonymous contact.
  const fresh = await a.page.evaluate(async () => (await window.tab.chat.reset()).sourceId);
  assert.notEqual(fresh, user);
  await until(async () => (await b.page.evaluate(() => window.tab.chat.contact.sourceId)) === fresh, "the other tab follows reset()");
  const anonymous = await tokenOf(a.page);
  await until(async () => (await socketsOf(anonymous)) === 1 && (await socketsOf(token)) === 0, "one socket, the new contact's");
  const [conv] = await server.control("GET", `/inboxes/${inbox}/conversations`).then((list) => list.filter((c) => c.contact_inbox?.source_id === fresh || c.contactInbox?.sourceId === fresh));
  assert.equal(conv, undefined, "(the new contact has no conversation yet)");
  assert.deepEqual(errors, []);
  await a.page.close();
  await b.page.close();
});

test("a leader whose session closes with a request in flight hands the lead on at once", async () => {
  const errors = [];
  const { inbox, a, conversation } = await leaderWithConversation(errors);
  const b = await openTab(inbox, errors);
  await until(async () => (await stateOf(b.page)) === "open", "b open");
  // A's next request takes 5 s; A closes while it is under way (the page stays).
  await server.control("POST", "/faults", { kind: "delay", delayMs: 5000, method: "GET", pathContains: "/conversations" });
  const closedAt = Date.now();
  await a.page.evaluate(() => {
    window.tab.chat.listConversations().catch(() => {});
    setTimeout(() => window.tab.chat.close(), 50);
  });
  await until(async () => (await role(b.page)) === "leader" && (await stateOf(b.page)) === "open", "b leads, live", 4_000);
  const took = Date.now() - closedAt;
  assert.ok(took < 3_000, `the lead moved within 3 s (${took} ms)`);
  const [id] = await agentSays(conversation, 1, "still here");
  await everyTabHasEach([b], [id], "after the close");
  assert.deepEqual(errors, []);
  await a.page.close();
  await b.page.close();
});

test("tabs: \"own\" keeps a socket per tab; a memory storage has nothing to share", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const page = await context.newPage();
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
  const result = await page.evaluate(async ({ pkg, baseUrl, inbox }) => {
    const sdk = await import(pkg);
    await sdk.init();
    const first = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, tabs: "own" });
    const own = [first, await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, tabs: "own" })];
    const memory = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "memory" });
    let bad = null;
    try {
      await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, tabs: "everyone" });
    } catch (e) {
      bad = e.code;
    }
    while (own.some((c) => c.state !== "open")) await new Promise((r) => setTimeout(r, 25));
    const out = { tabs: [...own.map((c) => c.tab), memory.tab], token: own[0].contact.pubsubToken, bad, same: own[0].contact.sourceId === own[1].contact.sourceId };
    window.keep = [...own, memory];
    return out;
  }, { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inbox });
  assert.deepEqual(result.tabs, ["own", "own", "own"]);
  assert.equal(result.bad, "invalid_argument");
  assert.ok(result.same);
  await until(async () => (await socketsOf(result.token)) === 2, "a socket each");
  await page.close();
});

test("the widget in two tabs: the same conversation in both, one socket, the unread badge right across a drop", async () => {
  const { widgetUrl, openPage, startChat, say, shot } = await import("./widget-kit.mjs");
  const problems = [];
  const allow = [/WebSocket/i]; // the dropped socket, as Chromium reports it
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  const a = await openPage(context, widgetUrl(files, server, inbox), "tab A", problems, allow);
  await startChat(a);
  await say(a, "Hello from the first tab");
  const b = await openPage(context, widgetUrl(files, server, inbox), "tab B", problems, allow);
  await b.locator(".cw-launcher").click();
  await b.locator(".cw-row--mine", { hasText: "Hello from the first tab" }).waitFor();
  await shot(b, "tabs-second-tab.png");
  const [conversation] = await server.control("GET", `/inboxes/${inbox}/conversations`);
  const token = await a.evaluate(() => window.chatWidget.session.contact.pubsubToken);
  await until(async () => (await socketsOf(token)) === 1, "one socket for both widgets");
  const roles = await Promise.all([a, b].map((p) => p.evaluate(() => window.chatWidget.session.tab)));
  assert.deepEqual([...roles].sort(), ["follower", "leader"]);

  // Both panels closed; the socket drops while the agent writes: each badge counts 3.
  for (const p of [a, b]) await p.locator(".cw-header__close").click();
  await server.control("POST", "/sockets/drop", { token });
  for (let i = 1; i <= 3; i++) await server.control("POST", `/conversations/${conversation.id}/messages`, { content: `While you were away ${i}` });
  for (const p of [a, b]) await p.locator(".cw-badge", { hasText: "3" }).waitFor();
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: "And one more" });
  for (const p of [a, b]) await p.locator(".cw-badge", { hasText: "4" }).waitFor();
  await new Promise((r) => setTimeout(r, 500));
  for (const p of [a, b]) assert.equal(await p.locator(".cw-badge").textContent(), "4", "no message counted twice");
  await b.locator(".cw-launcher").click();
  await b.locator(".cw-row--agent", { hasText: "And one more" }).waitFor();
  await shot(b, "tabs-after-drop.png");
  assert.deepEqual(problems, []);
  await a.close();
  await b.close();
});
