// The package as users get it (SPEC §1): `npm pack` of pkg/, installed into fresh
// projects outside the repository. A Vite app built from it exchanges a message with
// the devserver in Chromium; Node imports it by name without init(); an SSR-style import
// of the browser entry touches no `window`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:http";
import { extname } from "node:path";
import { startDevserver } from "./devserver.mjs";
import { launch } from "./browser.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const vite = JSON.parse(readFileSync(`${root}node_modules/vite/package.json`, "utf8")).version;
const ws = JSON.parse(readFileSync(`${root}node_modules/ws/package.json`, "utf8")).version;

let server, context, project, tarball;
const work = mkdtempSync(join(tmpdir(), "cw-packaging-"));
const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });

before(async () => {
  server = await startDevserver();
  context = await launch();
  // The tarball users download, and a project that depends on it by name.
  tarball = join(work, run("npm", ["pack", `${root}pkg`, "--pack-destination", work, "--silent"], work).trim().split("\n").pop());
  project = join(work, "app");
  mkdirSync(join(project, "src"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }, null, 2));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, `vite@${vite}`, `ws@${ws}`], project);
});
after(async () => {
  await context?.close();
  server?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("the tarball holds the entries, the types, the module and its maps, and nothing else", () => {
  const listing = JSON.parse(run("npm", ["pack", `${root}pkg`, "--dry-run", "--json"], work))[0].files.map((f) => f.path).sort();
  for (const f of ["index.js", "node.js", "index.d.ts", "chatwoot_inbox_sdk_bg.wasm", "chatwoot-inbox.js", "index.js.map", "widget.js", "widget-extras.js", "widget.d.ts", "chatwoot-inbox-widget.js", "package.json", "README.md", "locales/en.js", "locales/id.js", "locales/es.js", "locales/ar.js"]) {
    assert.ok(listing.includes(f), `${f} is packed: ${listing}`);
  }
  // One folder: the widget's locale tables, loaded by widget.js when chosen.
  assert.ok(listing.every((f) => !f.includes("/") || /^locales\/[a-z]+\.js$/.test(f)), `no other folders: ${listing}`);
  const manifest = JSON.parse(readFileSync(join(project, "node_modules/chatwoot-inbox-sdk/package.json"), "utf8"));
  assert.equal(manifest.type, "module");
  // Only the entries that define something on import (the widget's element, the classic
  // scripts' globals) have side effects: a bundler may drop any other unused import.
  assert.deepEqual(manifest.sideEffects, ["./widget.js", "./chatwoot-inbox.js", "./chatwoot-inbox-widget.js"]);
  assert.equal(manifest.exports["."].types, "./index.d.ts");
  assert.equal(manifest.exports["./widget"].types, "./widget.d.ts");
});

test("a Vite app built from the package exchanges a message with the devserver in Chromium", async () => {
  writeFileSync(join(project, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>vite app</title></head>
<body><p id="out">loading</p><script type="module" src="/src/main.js"></script></body></html>`);
  writeFileSync(join(project, "src/main.js"), `import { init, ChatSession, version } from "chatwoot-inbox-sdk";
const params = new URLSearchParams(location.search);
const out = document.getElementById("out");
await init();
const chat = await ChatSession.start({ baseUrl: params.get("baseUrl"), inboxIdentifier: params.get("inbox"), storage: "memory" });
chat.on("message.created", (e) => {
  if (e.message.messageType === "outgoing") out.dataset.reply = e.message.content;
});
const conversation = await chat.startConversation();
const sent = new Promise((resolve) => chat.on("message.sent", resolve));
chat.send(conversation.id, "hello from a Vite app");
await sent;
out.dataset.conversation = String(conversation.id);
out.dataset.version = version();
out.textContent = "ready";
`);
  const build = run(join(project, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], project);
  assert.doesNotMatch(build, /warn|error/i, build);
  const dist = await serve(join(project, "dist"));
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${dist.url}/?baseUrl=${encodeURIComponent(server.url)}&inbox=demo-inbox`);
    await page.locator("#out[data-conversation]").waitFor();
    const id = await page.locator("#out").getAttribute("data-conversation");
    await server.control("POST", `/conversations/${id}/messages`, { content: "hello, Vite" });
    await page.locator('#out[data-reply="hello, Vite"]').waitFor();
    assert.match(await page.locator("#out").getAttribute("data-version"), /^\d+\.\d+\.\d+$/);
    assert.ok(requests.some((u) => u.startsWith(dist.url) && u.endsWith(".wasm")), "Vite emitted the module as an asset, loaded next to the bundle");
    const stored = await server.control("GET", `/conversations/${id}/messages`);
    assert.equal(stored.filter((m) => m.content === "hello from a Vite app").length, 1);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    dist.stop();
  }
});

test("a Vite app with chatwoot-inbox-sdk/widget shows the drop-in widget, which chats (in Spanish, with an interactive message: the parts it loads when needed come along)", async () => {
  const app = join(work, "widget-app");
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "widget-app", private: true, type: "module" }, null, 2));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, `vite@${vite}`], app);
  writeFileSync(join(app, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>widget app</title></head>
<body><h1>A Vite site</h1><script type="module" src="/src/main.js"></script></body></html>`);
  // The import defines the element; the page places one.
  writeFileSync(join(app, "src/main.js"), `import "chatwoot-inbox-sdk/widget";
const params = new URLSearchParams(location.search);
const widget = document.createElement("chatwoot-inbox-widget");
widget.setAttribute("base-url", params.get("baseUrl"));
widget.setAttribute("inbox", params.get("inbox"));
widget.setAttribute("locale", "es");
document.body.append(widget);
`);
  const build = run(join(app, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], app);
  assert.doesNotMatch(build, /warn|error/i, build);
  const dist = await serve(join(app, "dist"));
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${dist.url}/?baseUrl=${encodeURIComponent(server.url)}&inbox=${inbox}`);
    await page.locator(".cw-launcher").click();
    await page.locator("#cw-prechat-name").fill("Vic Vite");
    await page.locator("#cw-prechat-email").fill("vic@example.com");
    await page.getByRole("button", { name: "Empezar la conversación" }).click();
    await page.getByRole("textbox", { name: "Mensaje" }).fill("hello from the Vite widget");
    await page.keyboard.press("Enter");
    await page.locator(".cw-row--mine[data-status='sent']", { hasText: "hello from the Vite widget" }).waitFor();
    const [conversation] = await server.control("GET", `/inboxes/${inbox}/conversations`);
    await server.control("POST", `/conversations/${conversation.id}/messages`, { content: "hello, widget" });
    await page.locator(".cw-row", { hasText: "hello, widget" }).waitFor();
    await server.control("POST", `/conversations/${conversation.id}/messages`, {
      content: "Which plan?",
      contentType: "input_select",
      contentAttributes: { items: [{ title: "Team", value: "team" }, { title: "Enterprise", value: "enterprise" }] },
    });
    await page.getByRole("group", { name: "Elige una opción" }).getByRole("button", { name: "Team" }).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    dist.stop();
  }
});

test("Node imports the package by name and uses it without init(), realtime included", () => {
  writeFileSync(join(project, "node-use.mjs"), `import { InboxClient, ChatSession, version } from "chatwoot-inbox-sdk";
import WebSocket from "ws";
const [baseUrl] = process.argv.slice(2);
const api = new InboxClient({ baseUrl, inboxIdentifier: "demo-inbox" });
const contact = await api.createContact({ name: "From Node" });
const chat = await ChatSession.start({ baseUrl, inboxIdentifier: "demo-inbox", storage: "memory", WebSocket });
await new Promise((resolve) => (chat.state === "open" ? resolve() : chat.on("state", (e) => e.state === "open" && resolve())));
const conversation = await chat.startConversation();
const sent = await new Promise((resolve) => { chat.on("message.sent", resolve); chat.send(conversation.id, "from node"); });
chat.close();
console.log(JSON.stringify({ version: version(), sourceId: contact.sourceId, sent: sent.message.content, state: chat.state }));
`);
  const out = JSON.parse(run("node", ["node-use.mjs", server.url], project).trim());
  assert.match(out.version, /^\d+\.\d+\.\d+$/);
  assert.ok(out.sourceId.length > 0);
  assert.equal(out.sent, "from node");
  assert.equal(out.state, "closed");
});

test("SSR-style imports touch no window, document or fetch at import time", () => {
  // With the browser globals made to throw when read: the package by name (the Node
  // entry, what a server renderer resolves), and the browser entry itself (what a
  // bundler targeting the browser puts into a server bundle).
  writeFileSync(join(project, "ssr.mjs"), `for (const name of ["window", "document", "self", "navigator", "location", "localStorage", "fetch", "WebSocket", "XMLHttpRequest"]) {
  Object.defineProperty(globalThis, name, { configurable: true, get() { throw new Error(name + " was read at import time"); } });
}
const node = await import("chatwoot-inbox-sdk");
const browser = await import("./node_modules/chatwoot-inbox-sdk/index.js");
const widget = await import("chatwoot-inbox-sdk/widget"); // defines nothing without custom elements
const api = new node.InboxClient({ baseUrl: "https://chat.example.com", inboxIdentifier: "x" });
let code;
try { new browser.InboxClient({ baseUrl: "https://chat.example.com", inboxIdentifier: "x" }); } catch (e) { code = e.code; }
console.log(JSON.stringify({ node: Object.keys(node).sort(), browser: Object.keys(browser).sort(), client: typeof api.getInbox, code, widget: widget.ChatwootInboxWidget === undefined }));
`);
  const out = JSON.parse(run("node", ["ssr.mjs"], project).trim());
  for (const name of ["init", "version", "InboxClient", "ChatSession", "AccountClient", "ChatwootError", "isChatwootError", "diagnostics", "isOpenAt", "nextOpening"]) {
    assert.ok(out.node.includes(name), `${name} is exported by the Node entry: ${out.node}`);
    assert.ok(out.browser.includes(name), `${name} is exported by the browser entry: ${out.browser}`);
  }
  assert.equal(out.client, "function", "the Node entry is ready at import");
  assert.equal(out.code, "not_initialized", "the browser entry says init() is needed instead of failing on a global");
  assert.equal(out.widget, true, "the widget entry imports, and defines nothing, on a server");
});

/** A static server for a built app. */
function serve(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
  const srv = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname.replace(/\.\.+/g, "");
    const file = join(dir, path.endsWith("/") ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${srv.address().port}`, stop: () => srv.close() })));
}
