// The shared-tabs soak, in Chromium against the devserver: three tabs of one visitor,
// 500 agent messages in 10 rounds, and in every round the tab holding the socket goes
// (closed, a new tab opened in its place, or reloaded: in turn) while messages keep
// coming. Every tab that lived through a message must emit it exactly once; at the end
// every tab's thread holds all 500 exactly once, and the devserver counts one socket.
// Prints the figures per tab: received, lost, doubled; the takeovers and the longest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServers } from "./suite.mjs";
import { startCounting, until, socketsOf } from "./tabs-kit.mjs";

let server, files, context;
useServers((s) => ({ server, files, context } = s));

const ROUNDS = 10;
const PER_ROUND = 50;


test("soak: 3 tabs, 500 agent messages, the leader's tab closed or reloaded 10 times: each tab has each message once, one socket", async () => {
  const errors = [];
  const { identifier: inbox } = await server.control("POST", "/inboxes", { messagesPerMinute: 1_000_000 });
  const args = { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inbox };
  let incarnations = 0;
  /** A tab: its page, and the session's life in it (a reload starts another). */
  const begin = async (tab) => {
    await tab.page.evaluate(startCounting, args);
    tab.name = `tab ${++incarnations}`;
    tab.expected = []; // the ids this session lived through
    return tab;
  };
  const open = async () => {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${files.url}/tests/js/pages/blank.html`);
    return begin({ page });
  };
  const state = (t) => t.page.evaluate(() => window.tab.chat.state);
  const role = (t) => t.page.evaluate(() => window.tab.chat.tab);
  const allOpen = async (tabs) => (await Promise.all(tabs.map(state))).every((s) => s === "open");

  let tabs = [await open()];
  await until(async () => (await role(tabs[0])) === "leader" && (await state(tabs[0])) === "open", "the first tab leads");
  const conversation = await tabs[0].page.evaluate(async () => (await window.tab.chat.startConversation()).id);
  tabs.push(await open(), await open());
  await until(() => allOpen(tabs), "three tabs open");
  const token = await tabs[0].page.evaluate(() => window.tab.chat.contact.pubsubToken);

  const all = [];
  const figures = []; // per session, once it ends or the soak does
  const takeovers = [];
  const post = async (n, round) => {
    const ids = [];
    for (let i = 0; i < n; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, (_, j) => server.control("POST", `/conversations/${conversation}/messages`, { content: `round ${round} #${i + j}` })),
      );
      ids.push(...batch.map((m) => m.id));
    }
    all.push(...ids);
    return ids;
  };
  /** What a session emitted for the ids it lived through. */
  const tally = async (t) => {
    const seen = await t.page.evaluate(() => window.tab.seen);
    const received = t.expected.filter((id) => seen[id] >= 1).length;
    return { tab: t.name, received, lost: t.expected.length - received, doubled: t.expected.filter((id) => seen[id] > 1).length };
  };
  const settled = (t) => until(async () => {
    const seen = await t.page.evaluate(() => window.tab.seen);
    return t.expected.every((id) => seen[id] >= 1);
  }, `${t.name} has every message it lived through`);

  for (let round = 0; round < ROUNDS; round++) {
    // Half the round's messages with every tab live.
    const before = await post(PER_ROUND / 2, round);
    for (const t of tabs) t.expected.push(...before);
    const roles = await Promise.all(tabs.map(role));
    const leader = tabs[roles.indexOf("leader")];
    assert.ok(leader, `round ${round}: a leader among ${roles}`);
    await settled(leader); // (what it had heard was relayed before it goes)
    figures.push(await tally(leader));
    const others = tabs.filter((t) => t !== leader);
    const gone = Date.now();
    if (round % 2 === 0) {
      await leader.page.close();
    } else {
      await leader.page.reload();
    }
    // The other half while the lead changes hands.
    const during = await post(PER_ROUND / 2, round);
    for (const t of others) t.expected.push(...during);
    await until(async () => (await Promise.all(others.map(role))).includes("leader"), `round ${round}: a new leader`, 5_000);
    takeovers.push(Date.now() - gone);
    tabs = round % 2 === 0 ? [...others, await open()] : [...others, await begin(leader)];
    await until(() => allOpen(tabs), `round ${round}: every tab open`);
    for (const t of others) await settled(t);
  }

  // The tabs of the end: their own figures, and every one of the 500 in their thread.
  for (const t of tabs) {
    await settled(t);
    figures.push(await tally(t));
  }
  for (const t of tabs) {
    const thread = await t.page.evaluate(async (conv) => {
      const chat = window.tab.chat;
      chat.messages(conv);
      while (!chat.getSnapshot().history[String(conv)]?.loaded) await new Promise((r) => setTimeout(r, 25));
      while (await chat.loadOlder(conv));
      return chat.messages(conv).map((m) => m.id);
    }, conversation);
    const count = new Map();
    for (const id of thread) count.set(id, (count.get(id) ?? 0) + 1);
    assert.deepEqual(all.filter((id) => count.get(id) !== 1), [], `${t.name}: its thread has each of the ${all.length} exactly once`);
  }
  await until(async () => (await socketsOf(server, token)) === 1, "one subscribed socket at the end");

  const longest = Math.max(...takeovers);
  console.log(`# soak figures: ${JSON.stringify({ messages: all.length, takeovers: takeovers.length, longestTakeoverMs: longest, perTab: figures })}`);
  assert.equal(all.length, ROUNDS * PER_ROUND);
  assert.equal(takeovers.length, ROUNDS);
  assert.ok(longest < 3_000, `every takeover within 3 s (longest ${longest} ms)`);
  for (const f of figures) {
    assert.equal(f.lost, 0, `${f.tab} lost none`);
    assert.equal(f.doubled, 0, `${f.tab} doubled none`);
  }
  assert.deepEqual(errors, []);
  for (const t of tabs) await t.page.close();
});
