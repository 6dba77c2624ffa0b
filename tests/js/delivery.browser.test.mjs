// Deliveries in Chromium (SPEC §1): the classic single file (window.ChatwootInbox, the
// module inlined: init() makes no request) and the ESM file from a static host, each on
// a plain page that exchanges a message with the devserver, also under a strict CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

// The whole policy a page needs: scripts from itself with WebAssembly compilation, and
// connections to the Chatwoot server only (http and ws); the ESM build also fetches its
// .wasm from its own origin ('self'), the classic file makes no request for it.
const csp = (self) =>
  `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src ${self ? "'self' " : ""}${server.url} ${server.url.replace(/^http/, "ws")}`;
let server, plain, strict, context;
before(async () => {
  server = await startDevserver();
  plain = await startStatic();
  strict = { "classic.html": await startStatic({ "content-security-policy": csp(false) }), "esm.html": await startStatic({ "content-security-policy": csp(true) }) };
  context = await launch();
});
after(async () => {
  await context?.close();
  plain?.stop();
  for (const s of Object.values(strict ?? {})) s.stop();
  server?.stop();
});

/** Opens `page` of `host`, lets it chat, answers as the agent; what the page saw. */
async function chat(host, file, say) {
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${host.url}/tests/js/pages/${file}?baseUrl=${encodeURIComponent(server.url)}&inbox=demo-inbox&say=${encodeURIComponent(say)}`);
  const out = page.locator("#out");
  await page.locator("#out[data-conversation], #out[data-error]").waitFor();
  assert.equal(await out.getAttribute("data-error"), null);
  const id = await out.getAttribute("data-conversation");
  await server.control("POST", `/conversations/${id}/messages`, { content: `re: ${say}` });
  await page.locator(`#out[data-reply="re: ${say}"]`).waitFor();
  const stored = await server.control("GET", `/conversations/${id}/messages`);
  const result = {
    version: await out.getAttribute("data-version"),
    violations: JSON.parse(await out.getAttribute("data-violations")),
    stored: stored.filter((m) => m.content === say).length,
    requests,
    errors,
  };
  await page.close();
  return result;
}

test("the classic script defines window.ChatwootInbox and init() fetches nothing", async () => {
  const r = await chat(plain, "classic.html", "hello from a classic script");
  assert.match(r.version, /^\d+\.\d+\.\d+$/);
  assert.equal(r.stored, 1);
  assert.ok(!r.requests.some((u) => u.endsWith(".wasm")), `no .wasm request: ${r.requests}`);
  assert.deepEqual(r.errors, []);
});

test("the ESM file from a static host fetches its .wasm next to it", async () => {
  const r = await chat(plain, "esm.html", "hello from ESM");
  assert.equal(r.stored, 1);
  assert.ok(r.requests.some((u) => u === `${plain.url}/pkg/chatwoot_inbox_sdk_bg.wasm`), `the .wasm next to index.js: ${r.requests}`);
  assert.deepEqual(r.errors, []);
});

for (const file of ["classic.html", "esm.html"]) {
  test(`${file} works under a strict CSP (script-src 'self' 'wasm-unsafe-eval', connect-src the server${file === "esm.html" ? " and 'self'" : ""})`, async () => {
    const r = await chat(strict[file], file, `hello under CSP (${file})`);
    assert.equal(r.stored, 1);
    assert.deepEqual(r.violations, [], "no CSP violation");
    assert.deepEqual(r.errors, []);
  });
}
