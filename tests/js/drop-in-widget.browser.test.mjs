// The drop-in widget as a site owner embeds it, in Chromium against the devserver:
// a page with nothing but the script tag (chatwoot-inbox-widget.js, data-* attributes),
// the same under a strict CSP, an inline widget inside a page section, the theme
// variables and ::part() from the page's CSS, and a page whose global CSS is hostile.
// Each page chats: the visitor's message reaches the server, the agent's reply shows.
// Screenshots in test-output/screenshots/widget-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { startDevserver } from "./devserver.mjs";
import { launch } from "./browser.mjs";
import { SHOTS } from "./widget-kit.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
let server, context, site;
const pages = new Map(); // path → { html, headers }

/** A static host of its own: the pages below by path, the package's files from pkg/. */
function startSite() {
  const http = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/favicon.ico") return res.writeHead(204).end();
    const page = pages.get(path);
    if (page) return res.writeHead(200, { "content-type": "text/html", ...page.headers }).end(page.html);
    if (path.startsWith("/pkg/") && !path.includes("..")) {
      try {
        const body = await readFile(`${root}${path.slice(1)}`);
        const type = path.endsWith(".wasm") ? "application/wasm" : "text/javascript";
        return res.writeHead(200, { "content-type": type }).end(body);
      } catch {
        // falls through to 404
      }
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => http.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${http.address().port}`, stop: () => http.close() })));
}

before(async () => {
  server = await startDevserver();
  site = await startSite();
  context = await launch();
});
after(async () => {
  await context?.close();
  site?.stop();
  server?.stop();
});

/** A page with `body` (and `head`), served with `headers`; its page errors collected. */
async function open(path, { head = "", body = "", headers = {} }) {
  pages.set(path, { html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${path}</title>${head}</head><body>${body}</body></html>`, headers });
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: 760 });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console ${m.text()}`));
  await page.goto(`${site.url}${path}`);
  return { page, problems };
}

/** A new inbox for each page: a visitor new to it (its storage key is the inbox's). */
const newInbox = async () => (await server.control("POST", "/inboxes", {})).identifier;

const scriptTag = (inbox, extra = "") =>
  `<script src="/pkg/chatwoot-inbox-widget.js" data-base-url="${server.url}" data-inbox="${inbox}" ${extra} defer></script>`;

/** Through the pre-chat form, a message out, the agent's reply in; the conversation id. */
async function chat(page, inbox, text, { launcher = true } = {}) {
  if (launcher) await page.locator(".cw-launcher").click();
  await page.locator("#cw-prechat-name").fill("Sam Site");
  await page.locator("#cw-prechat-email").fill("sam@example.com");
  await page.getByRole("button", { name: "Start conversation" }).click();
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await page.locator(".cw-row--mine[data-status='sent']", { hasText: text }).waitFor();
  const [conversation] = await server.control("GET", `/inboxes/${inbox}/conversations`);
  const stored = await server.control("GET", `/conversations/${conversation.id}/messages`);
  assert.equal(stored.filter((m) => m.content === text).length, 1, "on the server once");
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: `re: ${text}` });
  await page.locator(".cw-row", { hasText: `re: ${text}` }).waitFor();
  return conversation.id;
}

test("a page with nothing but the script tag mounts the widget, which chats", async () => {
  const inbox = await newInbox();
  const { page, problems } = await open("/plain.html", { body: `<h1>A site</h1>${scriptTag(inbox)}` });
  await page.locator(".cw-launcher").waitFor();
  await page.screenshot({ path: `${SHOTS}/widget-script-tag-closed.png` });
  await chat(page, inbox, "Hello from a script tag");
  await page.screenshot({ path: `${SHOTS}/widget-script-tag.png`, animations: "disabled" });
  // The JS API: the element, its session, open/close.
  const api = await page.evaluate(async () => {
    const el = document.querySelector("chatwoot-inbox-widget");
    el.close();
    const closed = el.shadowRoot.querySelector(".cw-panel").hidden;
    el.open();
    return { closed, open: !el.shadowRoot.querySelector(".cw-panel").hidden, state: el.session?.state, hasWindowSdk: typeof window.ChatwootInbox?.ChatSession };
  });
  assert.deepEqual(api, { closed: true, open: true, state: "open", hasWindowSdk: "function" });
  assert.deepEqual(problems, []);
  await page.close();
});

test("under a strict CSP (no inline script or style) the script tag's widget chats, without a violation", async () => {
  const csp = `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' ${server.url}; connect-src ${server.url} ${server.url.replace(/^http/, "ws")}`;
  const inbox = await newInbox();
  const { page, problems } = await open("/csp.html", { body: `<h1>Strict</h1>${scriptTag(inbox)}`, headers: { "content-security-policy": csp } });
  await page.evaluate(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await chat(page, inbox, "Hello under a strict CSP");
  assert.deepEqual(await page.evaluate(() => window.violations), [], "no CSP violation");
  assert.deepEqual(problems, []);
  await page.close();
});

test("an inline widget fills its section, has no launcher, and chats", async () => {
  const inbox = await newInbox();
  const { page, problems } = await open("/inline.html", {
    head: `<script type="module" src="/pkg/widget.js"></script>`,
    body: `<main><h1>Contact us</h1><section id="chat" style="width: 420px; height: 560px; margin: 24px;">
      <chatwoot-inbox-widget base-url="${server.url}" inbox="${inbox}" mode="inline" style="height: 100%"></chatwoot-inbox-widget>
    </section></main>`,
  });
  const panel = page.locator(".cw-panel");
  await page.locator("#cw-prechat-name").waitFor();
  assert.equal(await page.locator(".cw-launcher").isVisible(), false, "no launcher");
  const [box, section] = [await panel.boundingBox(), await page.locator("#chat").boundingBox()];
  assert.deepEqual([box.x, box.y, box.width, box.height], [section.x, section.y, section.width, section.height], "the panel is the section's box");
  assert.equal(await panel.evaluate((el) => getComputedStyle(el).position), "relative", "it does not float");
  await chat(page, inbox, "Hello from the contact page", { launcher: false });
  await page.screenshot({ path: `${SHOTS}/widget-inline.png`, animations: "disabled" });
  assert.deepEqual(problems, []);
  await page.close();
});

test("the page themes it with custom properties and ::part(), and its CSS does not leak out", async () => {
  const css = `chatwoot-inbox-widget { --chatwoot-accent: rgb(200, 30, 60); --chatwoot-radius: 6px; --chatwoot-launcher-size: 72px; --chatwoot-font: Georgia, serif; }
    chatwoot-inbox-widget::part(launcher) { border-radius: 12px; }
    chatwoot-inbox-widget::part(bubble) { letter-spacing: 1px; }`;
  const inbox = await newInbox();
  const { page, problems } = await open("/themed.html", { head: `<style>${css}</style>`, body: `<button id="site">A site button</button>${scriptTag(inbox, 'data-position="left"')}` });
  const launcher = page.locator(".cw-launcher");
  await launcher.waitFor();
  const look = await launcher.evaluate((el) => {
    const s = getComputedStyle(el);
    return { background: s.backgroundColor, radius: s.borderRadius, width: s.width, left: el.getBoundingClientRect().left < 100 };
  });
  assert.deepEqual(look, { background: "rgb(200, 30, 60)", radius: "12px", width: "72px", left: true });
  await chat(page, inbox, "Hello in the site's colours");
  const bubble = await page.locator(".cw-row--mine .cw-bubble").last().evaluate((el) => {
    const s = getComputedStyle(el);
    return { spacing: s.letterSpacing, font: s.fontFamily };
  });
  assert.deepEqual(bubble, { spacing: "1px", font: "Georgia, serif" });
  assert.equal(await page.locator(".cw-panel").evaluate((el) => getComputedStyle(el).borderRadius), "6px");
  // Nothing of the widget's stylesheet applies to the page's own elements.
  const site = await page.locator("#site").evaluate((el) => getComputedStyle(el).fontFamily);
  assert.notEqual(site, "Georgia, serif");
  assert.equal(await page.evaluate(() => document.styleSheets.length), 1, "only the page's own stylesheet in the document");
  await page.screenshot({ path: `${SHOTS}/widget-themed.png`, animations: "disabled" });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a page with hostile global CSS does not break it", async () => {
  const hostile = `* { all: unset !important; } button { display: none !important; } div, section, p { visibility: hidden !important; }`;
  const inbox = await newInbox();
  const { page, problems } = await open("/hostile-css.html", { head: `<style>${hostile}</style>`, body: `<p>The site's text</p>${scriptTag(inbox)}` });
  await page.locator(".cw-launcher").waitFor();
  assert.equal(await page.locator(".cw-launcher").isVisible(), true);
  await chat(page, inbox, "Hello through hostile CSS");
  const panel = await page.locator(".cw-panel").evaluate((el) => {
    const s = getComputedStyle(el);
    return { position: s.position, visibility: s.visibility, display: s.display };
  });
  assert.deepEqual(panel, { position: "fixed", visibility: "visible", display: "flex" });
  await page.screenshot({ path: `${SHOTS}/widget-hostile-css.png`, animations: "disabled" });
  assert.deepEqual(problems, []);
  await page.close();
});

test("an element placed first and given its attributes after mounts then, once", async () => {
  const inbox = await newInbox();
  const { page, problems } = await open("/late.html", { head: `<script type="module" src="/pkg/widget.js"></script>` });
  await page.evaluate(async ({ baseUrl, inbox }) => {
    await customElements.whenDefined("chatwoot-inbox-widget");
    const el = document.createElement("chatwoot-inbox-widget");
    document.body.append(el);
    el.setAttribute("base-url", baseUrl);
    el.setAttribute("inbox", inbox);
  }, { baseUrl: server.url, inbox });
  await chat(page, inbox, "Hello from a late element");
  assert.equal(await page.evaluate(() => document.querySelector("chatwoot-inbox-widget").shadowRoot.querySelectorAll(".cw-widget").length), 1);
  assert.deepEqual(problems, []);
  await page.close();
});
