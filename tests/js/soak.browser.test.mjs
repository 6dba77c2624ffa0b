// The no-loss soak (issue: realtime): in Chromium, a ChatSession receives 1,000 agent
// messages in two conversations — one read with messages(), one never read — while the
// devserver drops its socket 50 times at random moments, answers 5% of GETs with 503,
// fails the catch-up right after drops (three 503s in a row, more than the retries
// absorb), and resets sends' connections every fifth drop; meanwhile the session sends 100
// messages. At the end both conversations equal the server's lists exactly, every
// message.created id was emitted once (the recovered ones in id order before their
// synced), each sent message is on the server once and was `sent` once (the ones whose
// connection was reset waited in the outbox and went out by themselves), and the failure
// paths were taken and survived. Prints the figures.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

const AGENT_MESSAGES = 1000;
const OWN_MESSAGES = 100;
const DROPS = 50;

let server, files, context, page;
const pageErrors = [];
before(async () => {
  server = await startDevserver();
  files = await startStatic();
  context = await launch();
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
});
after(async () => {
  await server?.control("DELETE", "/faults").catch(() => {});
  await context?.close();
  files?.stop();
  server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("soak: 1,000 in over two conversations (one never read), 100 out, 50 drops, failing catch-ups and reset sends: nothing lost, nothing doubled", { timeout: 170_000 }, async () => {
  const started = Date.now();
  const { identifier } = await server.control("POST", "/inboxes", { messagesPerMinute: 100_000 });
  const [conversationId, unreadId, sourceId] = await page.evaluate(
    async ({ pkg, baseUrl, inboxIdentifier }) => {
      const sdk = await import(pkg);
      await sdk.init();
      const chat = await sdk.ChatSession.start({ baseUrl, inboxIdentifier, storage: "memory" });
      const log = { created: [], sent: [], failed: 0, queued: 0, states: [], errors: [], recovered: 0, order: [] };
      chat.on("message.created", (e) => {
        log.created.push(e.message.id);
        log.order.push(["created", e.conversationId, e.message.id]);
      });
      chat.on("message.sent", (e) => log.sent.push(e.echoId));
      chat.on("message.failed", () => log.failed++);
      chat.on("message.queued", () => log.queued++);
      chat.on("state", (e) => log.states.push(e.state));
      chat.on("error", (e) => log.errors.push(e.error.code));
      chat.on("synced", (e) => {
        log.recovered += e.recovered;
        log.order.push(["synced", e.conversationId, e.recovered]);
      });
      const conv = await chat.startConversation();
      // The second conversation is never read: it lives on its events alone.
      const unread = await chat.startConversation();
      chat.messages(conv.id);
      await new Promise((resolve) => {
        const off = chat.on("synced", () => (off(), resolve()));
      });
      window.soak = { chat, log, conv, unread };
      return [conv.id, unread.id, chat.contact.sourceId];
    },
    { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inboxIdentifier: identifier },
  );

  await server.control("POST", "/faults", { kind: "status", status: 503, method: "GET", probability: 0.05 });

  // The session sends its 100 messages over the storm, retrying any that fail.
  const sending = page.evaluate(async (n) => {
    const { chat, conv } = window.soak;
    // As a widget's Retry button would: again after a failed send, and again when the
    // retry itself fails (its look at the server can meet the 503s too).
    const retry = (echo) => setTimeout(() => chat.retry(echo).catch(() => retry(echo)), 200);
    chat.on("message.failed", (e) => retry(e.echoId));
    for (let i = 0; i < n; i++) {
      chat.send(conv.id, `own ${i}`);
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 150));
    }
  }, OWN_MESSAGES);

  // 50 real socket drops at random moments: each waits for a socket to drop, and the
  // storm gives up after 90 s (so a session that stops reconnecting fails the count).
  let drops = 0;
  const stormEnd = Date.now() + 90_000;
  const storm = (async () => {
    while (drops < DROPS && Date.now() < stormEnd) {
      await sleep(100 + Math.random() * 700);
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const { dropped } = await server.control("POST", "/sockets/drop", {});
        if (dropped > 0) {
          drops++;
          // Right after the drop, the catch-up's next GETs fail three times in a row:
          // more than a call's retries absorb, so it fails and must be tried again.
          await server.control("POST", "/faults", { kind: "status", status: 503, method: "GET", pathContains: "/conversations", count: 3 });
          // Every fifth drop, the next sends' connections are reset (four times: a
          // browser tries a POST again when a kept-alive connection is reset): the server
          // never answers nor stores them, and the session must send each again, once.
          // (The path names this contact's messages: the agents' posts go elsewhere.)
          const sends = `${sourceId}/conversations/${conversationId}/messages`;
          if (drops % 5 === 0) await server.control("POST", "/faults", { kind: "reset", method: "POST", pathContains: sends, count: 4 });
          break;
        }
        await sleep(20);
      }
    }
  })();
  // Meanwhile 1,000 agent messages in bursts of 10 over about 40 s, one in five to the
  // conversation never read.
  for (let i = 0; i < AGENT_MESSAGES; i += 10) {
    const burst = [];
    for (let j = i; j < i + 10; j++) {
      const to = j % 5 === 4 ? unreadId : conversationId;
      burst.push(server.control("POST", `/conversations/${to}/messages`, { content: `agent ${j}` }));
    }
    await Promise.all(burst);
    await sleep(200 + Math.random() * 400);
  }
  await storm;
  await sending;
  await server.control("DELETE", "/faults");

  // Everything must settle: the session's list equals the server's, nothing in flight.
  const visible = (list) => list.filter((m) => !m.private && m.message_type !== 2);
  let serverIds = [];
  let unreadIds = [];
  let snapshot = null;
  const same = (a, b) => a.length === b.length && a.every((id, k) => id === b[k]);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    serverIds = visible(await server.control("GET", `/conversations/${conversationId}/messages`)).map((m) => m.id);
    unreadIds = visible(await server.control("GET", `/conversations/${unreadId}/messages`)).map((m) => m.id);
    snapshot = await page.evaluate(() => {
      const { chat, log, conv, unread } = window.soak;
      const list = chat.messages(conv.id);
      // Not messages(): that would read it. The snapshot holds what its events brought.
      const second = chat.getSnapshot().messages[String(unread.id)] ?? [];
      return { ids: list.map((m) => m.id), unreadIds: second.map((m) => m.id), log, state: chat.state };
    });
    if (snapshot.state === "open" && same(snapshot.ids, serverIds) && same(snapshot.unreadIds, unreadIds)) break;
    await sleep(500);
  }
  const { ids, log } = snapshot;
  const onServer = visible(await server.control("GET", `/conversations/${conversationId}/messages`));
  const onServerUnread = visible(await server.control("GET", `/conversations/${unreadId}/messages`));
  const own = onServer.filter((m) => m.message_type === 0);
  const agent = [...onServer, ...onServerUnread].filter((m) => m.message_type === 1);
  const createdCounts = new Map();
  for (const id of log.created) createdCounts.set(id, (createdCounts.get(id) ?? 0) + 1);
  const doubled = [...createdCounts.values()].filter((n) => n > 1).length;
  const agentIds = new Set(agent.map((m) => m.id));
  const lost = [...agentIds].filter((id) => !createdCounts.has(id)).length;
  // Reconnects the session made: every `open` that followed a `reconnecting`.
  const reconnects = log.states.filter((s, k) => s === "open" && log.states.slice(0, k).lastIndexOf("reconnecting") > log.states.slice(0, k).lastIndexOf("open")).length;
  const ownContents = own.map((m) => m.content);
  const figures = {
    sent: OWN_MESSAGES,
    sentOnServer: own.length,
    sentDistinct: new Set(ownContents).size,
    agentPosted: AGENT_MESSAGES,
    received: agentIds.size - lost,
    lost,
    doubled,
    drops,
    reconnects,
    recoveredByCatchUp: log.recovered,
    recoveredInUnread: log.order.filter(([t, c]) => t === "synced" && c === unreadId).reduce((n, [, , r]) => n + r, 0),
    queuedSends: log.queued,
    failedSends: log.failed,
    catchUpErrors: log.errors.length,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(`soak figures: ${JSON.stringify(figures)}`);

  assert.deepEqual(ids, onServer.map((m) => m.id), "the session's list equals the server's: same ids, same order");
  assert.deepEqual(snapshot.unreadIds, onServerUnread.map((m) => m.id), "so does the conversation never read");
  // The failure paths were taken, and survived.
  assert.ok(figures.recoveredByCatchUp > 0, "messages were recovered by catch-ups");
  assert.ok(figures.recoveredInUnread > 0, "also in the conversation never read");
  assert.ok(figures.catchUpErrors > 0, "catch-ups failed (and were tried again)");
  // A reset connection is a network error: the send waits in the outbox and goes out
  // by itself (looked for on the server first). Fails if none met a reset.
  assert.ok(figures.queuedSends > 0, "sends met reset connections and were queued");
  // Each of the 100 sends was confirmed exactly once.
  const sentCounts = new Map();
  for (const e of log.sent) sentCounts.set(e, (sentCounts.get(e) ?? 0) + 1);
  assert.equal(sentCounts.size, OWN_MESSAGES, "every send was confirmed");
  assert.ok([...sentCounts.values()].every((n) => n === 1), "none twice");
  // What a catch-up recovered arrives in id order, before its synced.
  for (let k = 0; k < log.order.length; k++) {
    const [type, conv, recovered] = log.order[k];
    if (type !== "synced" || recovered === 0) continue;
    const before = log.order.slice(0, k).filter(([t, c]) => t === "created" && c === conv).slice(-recovered).map(([, , id]) => id);
    assert.deepEqual(before, [...before].sort((a, b) => a - b), `recovered in id order before synced (${conv})`);
  }
  assert.equal(agent.length, AGENT_MESSAGES);
  assert.equal(lost, 0, "every agent message was emitted");
  assert.equal(doubled, 0, "no message.created twice");
  assert.ok(log.created.every((id) => agentIds.has(id) || own.some((m) => m.id === id)), "only real messages were emitted");
  assert.equal(own.length, OWN_MESSAGES, "each sent message is on the server once");
  assert.equal(new Set(ownContents).size, OWN_MESSAGES);
  assert.equal(drops, DROPS, "every drop found a socket to drop within the storm");
  // A drop that lands while the previous reconnect is still subscribing is absorbed by it.
  assert.ok(reconnects >= DROPS * 0.8, `the drops were noticed: ${reconnects} reconnects`);
  assert.equal(log.states.at(-1), "open", "connected at the end");
  assert.deepEqual(pageErrors, []);
});
