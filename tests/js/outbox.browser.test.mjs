// The outbox in Chromium against the devserver: sends made while the browser cannot
// reach the server (its POSTs aborted as a cut network would) are `queued`, kept in
// localStorage with the contact (a file in IndexedDB), and after a reload with the
// network back they go out by themselves: each once, in the order they were written,
// the file with its message. It fails if a queued send or its file is lost with the
// page, sent twice, sent out of order, or reported `failed`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServers } from "./suite.mjs";

let server, files, context;
useServers((s) => ({ server, files, context } = s));

/** In the page: a session on `inbox` with localStorage, and what it reports. */
const open = async ({ pkg, baseUrl, inbox }) => {
  const sdk = await import(pkg);
  await sdk.init();
  const log = { queued: [], failed: [], sent: [] };
  const chat = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "local", realtime: false });
  chat.on("message.queued", (e) => log.queued.push(e.echoId));
  chat.on("message.failed", (e) => log.failed.push(e.echoId));
  chat.on("message.sent", (e) => log.sent.push(e.echoId));
  window.outbox = { chat, log };
  window.sdkDiagnostics = sdk.diagnostics;
  return chat.contact.sourceId;
};

const ownMessages = async (conv) =>
  (await server.control("GET", `/conversations/${conv}/messages`)).filter((m) => m.messageType === "incoming" || m.message_type === 0);

test("sends with the network cut are queued, survive a reload, and reach the server once each, in order", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
  const args = { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inbox };

  // The network is cut for sends: the browser aborts every POST of a message.
  const cut = (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue());
  await page.route(/\/messages$/, cut);
  const source = await page.evaluate(open, args);
  const first = await page.evaluate(async () => {
    const { chat, log } = window.outbox;
    const conv = await chat.startConversation();
    const echoes = ["one", "two", "three"].map((text) => chat.send(conv.id, text).echoId);
    // A file with its text: the file is kept in IndexedDB to go after the reload.
    const file = new File(["the report, 1 KB of it ".repeat(45)], "report.txt", { type: "text/plain" });
    echoes.push(chat.send(conv.id, { content: "four, with a file", attachments: [file] }).echoId);
    while (new Set(log.queued).size < 4) await new Promise((r) => setTimeout(r, 20));
    // IndexedDB writes are asynchronous: the file is kept a moment after its send is
    // queued. This test is about a kept file surviving the reload, so it reloads once the
    // file is there (a page closed sooner brings the send back failed, its text kept).
    // (Opened only once the SDK made it: opening it first would make it without its store.)
    const made = async () => (await indexedDB.databases()).some((d) => d.name === "chatwoot-inbox-sdk");
    const kept = async () => (await made()) && new Promise((resolve) => {
      const open = indexedDB.open("chatwoot-inbox-sdk");
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains("outbox-files")) return db.close(), resolve(false);
        const get = db.transaction("outbox-files").objectStore("outbox-files").get(echoes[3]);
        get.onsuccess = () => (db.close(), resolve(get.result !== undefined));
        get.onerror = () => (db.close(), resolve(false));
      };
    });
    const until = Date.now() + 10_000;
    while (!(await kept()) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return {
      conv: conv.id,
      echoes,
      statuses: chat.messages(conv.id).map((m) => m.status),
      stored: Object.values(localStorage).join("\n"),
      log,
    };
  });
  assert.deepEqual([...new Set(first.log.queued)], first.echoes, "each send queued, in order");
  assert.deepEqual(first.statuses, ["queued", "queued", "queued", "queued"]);
  assert.deepEqual(first.log.failed, []);
  for (const echo of first.echoes) assert.ok(first.stored.includes(echo), `${echo} is kept in localStorage`);
  assert.ok(first.stored.includes(source), "with its contact");
  assert.deepEqual(await ownMessages(first.conv), [], "nothing reached the server");

  // The page goes away with its sends queued; the network comes back; the page loads
  // again and starts its session from the same storage.
  await page.unroute(/\/messages$/, cut);
  await page.reload();
  assert.equal(await page.evaluate(open, args), source, "the same visitor");
  const second = await page.evaluate(async (conv) => {
    const { chat, log } = window.outbox;
    const end = Date.now() + 20_000;
    while (log.sent.length < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const messages = chat.messages(conv).map((m) => [m.echoId, m.status, m.attachments?.length]);
    return { log, messages, diagnostics: sdkDiagnostics(), stored: Object.values(localStorage).join("\n") };
  }, first.conv);
  // (What the session held, should a send not go: its messages and what is in flight.)
  const held = JSON.stringify({ messages: second.messages, diagnostics: second.diagnostics, queued: second.log.queued });
  assert.deepEqual(second.log.sent, first.echoes, `each sent once, oldest first; ${held}`);
  assert.deepEqual(second.log.failed, []);
  for (const echo of first.echoes) assert.ok(!second.stored.includes(echo), `${echo} left the storage once sent`);
  const own = await ownMessages(first.conv);
  assert.deepEqual(own.map((m) => m.content), ["one", "two", "three", "four, with a file"], "on the server once each, in order");
  const withFile = own.at(-1);
  assert.equal(withFile.attachments?.length, 1, `the file went with it: ${JSON.stringify(withFile)}`);
  assert.equal(withFile.attachments[0].fileSize ?? withFile.attachments[0].file_size, 23 * 45, "the whole file");
  assert.deepEqual(pageErrors, []);
});
