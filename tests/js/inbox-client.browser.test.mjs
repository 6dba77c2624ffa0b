// The built ESM package in Chromium, cross-origin to the devserver: init(), the
// not_initialized error, ChatwootError in the page, CORS, and no cookies sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

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
  await context?.close();
  files?.stop();
  server?.stop();
});

test("before init() the package throws not_initialized; a failed init() can be retried; init() is idempotent", async () => {
  const result = await page.evaluate(async (pkg) => {
    const sdk = await import(pkg);
    let before;
    try {
      new sdk.InboxClient({ baseUrl: "http://127.0.0.1:1", inboxIdentifier: "x" });
    } catch (e) {
      before = { code: e.code, message: e.message, isError: e instanceof Error, guard: sdk.isChatwootError(e) };
    }
    // A module that is not there: a ChatwootError with the cause, and nothing kept.
    const failed = await sdk.init(new URL("./missing.wasm", pkg)).then(
      () => null,
      (e) => ({ code: e.code, guard: sdk.isChatwootError(e), cause: String(e.cause), message: e.message }),
    );
    const startAfter = await sdk.ChatSession.start({ baseUrl: "http://127.0.0.1:1", inboxIdentifier: "x" }).catch((e) => e.code);
    before.failed = failed;
    before.startAfter = startAfter;
    const a = sdk.init();
    const b = sdk.init();
    await a;
    return { before, same: a === b, version: sdk.version() };
  }, `${files.url}/pkg/index.js`);
  assert.deepEqual(result.before.code, "not_initialized");
  assert.match(result.before.message, /init\(\)/);
  assert.equal(result.before.failed?.code, "not_initialized", JSON.stringify(result.before.failed));
  assert.ok(result.before.failed.guard && result.before.failed.cause.length > 0);
  assert.match(result.before.failed.message, /could not load its WebAssembly module/);
  assert.equal(result.before.startAfter, "not_initialized", "a session after a failed init() says so, as a ChatwootError");
  assert.ok(result.before.isError && result.before.guard);
  assert.ok(result.same);
  assert.match(result.version, /^\d+\.\d+\.\d+/);
});

test("a conversation round trip in the browser, cross-origin, without cookies", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  // A cookie for the devserver's host: a request with credentials would carry it.
  await context.addCookies([{ name: "session", value: "must-not-be-sent", url: server.url }]);
  await server.control("DELETE", "/requests");
  const out = await page.evaluate(async ({ pkg, baseUrl, inboxIdentifier }) => {
    const sdk = await import(pkg);
    await sdk.init();
    const api = new sdk.InboxClient({ baseUrl, inboxIdentifier });
    const s = await api.createContact({ name: "Browser" });
    const c = await api.createConversation(s.sourceId);
    const file = new File([new Uint8Array([71, 73, 70])], "dot.gif", { type: "image/gif" });
    const m = await api.createMessage(s.sourceId, c.id, { content: "from Chromium", attachments: [file] });
    await api.setTyping(s.sourceId, c.id, "on");
    const list = await api.listMessages(s.sourceId, c.id);
    let err;
    try {
      await api.getConversation(s.sourceId, 999999);
    } catch (e) {
      err = { name: e.name, code: e.code, status: e.status, isError: e instanceof Error, guard: sdk.isChatwootError(e) };
    }
    const aborted = await api.getInbox({ signal: AbortSignal.abort() }).catch((e) => e.code);
    return { m, list, err, aborted };
  }, { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inboxIdentifier: identifier });
  assert.equal(out.m.content, "from Chromium");
  assert.equal(out.m.attachments[0].fileType, "image");
  assert.deepEqual(out.list.map((m) => m.id), [out.m.id]);
  assert.deepEqual(out.err, { name: "ChatwootError", code: "not_found", status: 404, isError: true, guard: true });
  assert.equal(out.aborted, "aborted");
  const log = await server.control("GET", "/requests");
  const real = log.filter((r) => r.method !== "OPTIONS");
  assert.ok(real.length >= 5);
  for (const r of log) assert.equal(r.headers.cookie, undefined, `${r.method} ${r.path} sent a cookie`);
  assert.ok(real.every((r) => r.headers.origin === files.url), "requests are cross-origin");
  assert.deepEqual(pageErrors, []);
});
