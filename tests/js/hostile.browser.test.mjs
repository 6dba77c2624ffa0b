// Hostile message content in the demo widget and the agent console: markup, script and
// javascript:/data: links in agents' messages, interactive items and the visitor's own
// name and messages are shown as text — no dialog, no page error, no element injected;
// only http(s) URLs become links; a 100 KB message renders and the page stays usable;
// right-to-left text gets dir="auto" and reads right to left; emoji come through intact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServers } from "./suite.mjs";
import { consoleUrl, openPage, say, shot, startChat, widgetUrl } from "./widget-kit.mjs";

let server, files, context;
useServers((s) => ({ server, files, context } = s));

const SCRIPT = "<script>alert(1)</script>";
const IMG = `<img src=x onerror="alert(1)">`;
const JS_LINK = "Click javascript:alert(1) or [here](javascript:alert(document.cookie)) or data:text/html,<script>alert(1)</script>";
const HTTP_LINKS = "Read https://example.com/docs/start?ref=chat, then (http://example.org/faq).";
const ARABIC = "مرحبا! كيف يمكنني مساعدتك اليوم؟";
const HEBREW = "שלום, איך אפשר לעזור?";
const EMOJI = "Thanks! 🎉👍🏽 👩‍💻 ❤️ 🇵🇹";
const BIG = "0123456789 abcdefghijklmnopqrstuvwxyz ".repeat(2700).slice(0, 100_000);

/** Every element under `root` carrying an event-handler attribute, or a script. */
const injected = (root) =>
  root.evaluate((el) => [...el.querySelectorAll("*")]
    .filter((n) => n.tagName === "SCRIPT" || [...n.attributes].some((a) => a.name.startsWith("on")))
    .map((n) => n.outerHTML.slice(0, 120)));

test("hostile content is shown inertly in the widget and the agent console", async () => {
  const problems = [];
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  const page = await openPage(context, widgetUrl(files, server, inbox), "widget", problems);
  // The visitor's own name and message are hostile too (the console must show them as text).
  await startChat(page, IMG, "mallory@example.com");
  await say(page, SCRIPT);
  const [conversation] = await server.control("GET", `/inboxes/${inbox}/conversations`);
  const post = (body) => server.control("POST", `/conversations/${conversation.id}/messages`, body);

  for (const content of [SCRIPT, IMG, JS_LINK, HTTP_LINKS, ARABIC, HEBREW, EMOJI]) await post({ content });
  await post({ content: `Pick ${SCRIPT}`, contentType: "input_select", contentAttributes: { items: [{ title: IMG, value: "x" }, { title: "Fine", value: "fine" }] } });
  await post({
    content: "cards",
    contentType: "cards",
    contentAttributes: {
      items: [{
        title: SCRIPT, description: IMG, media_url: "javascript:alert(1)",
        actions: [
          { type: "link", text: "JS", uri: "javascript:alert(1)" },
          { type: "link", text: "Data", uri: "data:text/html,<script>alert(1)</script>" },
          { type: "link", text: "Safe", uri: "https://example.com/plan" },
        ],
      }],
    },
  });
  await post({ content: "articles", contentType: "article", contentAttributes: { items: [{ title: IMG, description: SCRIPT, link: "javascript:alert(1)" }, { title: "Guide", link: "https://example.com/guide" }] } });
  await post({ content: BIG });

  const list = page.locator(".cw-messages");
  const big = page.locator(".cw-row--agent .cw-bubble").filter({ hasText: "0123456789 abcdefghij" });
  await big.waitFor();
  assert.equal(await page.evaluate(() => 1 + 1), 2, "the page still answers after a 100 KB message");
  assert.equal((await big.textContent()).length, 100_000, "the whole 100 KB message is there");

  // Texts are exactly the strings sent, as text.
  const bubbles = await page.locator(".cw-row--agent .cw-bubble").allTextContents();
  for (const text of [SCRIPT, IMG, JS_LINK, HTTP_LINKS, ARABIC, HEBREW, EMOJI, `Pick ${SCRIPT}`]) assert.ok(bubbles.includes(text), `shown as text: ${text}`);
  assert.equal(await page.locator(".cw-row--mine .cw-bubble").first().textContent(), SCRIPT);
  assert.deepEqual(await injected(list), [], "no script and no on* attribute in the message list");
  assert.equal(await page.locator(".cw-messages img").evaluateAll((imgs) => imgs.filter((i) => !/^https?:/.test(i.getAttribute("src"))).length), 0, "images only from http(s)");

  // Links: only http(s) ones, opened safely.
  assert.equal(await page.locator('a[href^="javascript:"], a[href^="data:"], [src^="javascript:"]').count(), 0);
  const jsBubble = page.locator(".cw-bubble", { hasText: "Click javascript:alert(1)" });
  assert.equal(await jsBubble.locator("a").count(), 0, "javascript: and data: stay text");
  const links = page.locator(".cw-bubble", { hasText: "Read https://example.com" }).locator("a");
  assert.deepEqual(await links.evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent, a.target, a.rel])), [
    ["https://example.com/docs/start?ref=chat", "https://example.com/docs/start?ref=chat", "_blank", "noopener noreferrer"],
    ["http://example.org/faq", "http://example.org/faq", "_blank", "noopener noreferrer"],
  ]);
  const card = page.locator(".cw-card");
  assert.equal(await card.locator(".cw-card__title").textContent(), SCRIPT);
  assert.equal(await card.locator(".cw-card__text").textContent(), IMG);
  assert.equal(await card.locator("img").count(), 0, "a javascript: picture is left out");
  assert.deepEqual(await card.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))), ["https://example.com/plan"]);
  assert.deepEqual(await page.locator(".cw-articles a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))), ["https://example.com/guide"]);
  assert.equal(await page.locator(".cw-articles .cw-article__title").first().textContent(), IMG);
  assert.equal(await page.locator(".cw-option").first().textContent(), IMG);

  // Right to left and emoji.
  for (const text of [ARABIC, HEBREW]) {
    const bubble = page.locator(".cw-bubble", { hasText: text });
    assert.equal(await bubble.getAttribute("dir"), "auto");
    assert.equal(await bubble.evaluate((el) => getComputedStyle(el).direction), "rtl", `${text} reads right to left`);
  }
  assert.equal(await page.locator(".cw-bubble", { hasText: "Thanks!" }).textContent(), EMOJI);

  // Still usable: the visitor writes back.
  await say(page, "Still works ✅");
  await page.locator(".cw-bubble", { hasText: EMOJI }).scrollIntoViewIfNeeded();
  await shot(page, "hostile.png");

  // The agent console shows the same as text.
  const agent = await openPage(context, consoleUrl(files, server, inbox), "console", problems);
  await agent.locator(".ac-item-name", { hasText: "<img" }).click();
  await agent.locator(".ac-msg-body", { hasText: "Still works" }).waitFor();
  assert.equal(await agent.locator(".ac-item-name").first().textContent(), IMG);
  assert.equal(await agent.locator("#conv-title").textContent(), `#${conversation.id} · ${IMG}`);
  const bodies = await agent.locator(".ac-msg-body").allTextContents();
  for (const text of [SCRIPT, IMG, JS_LINK, ARABIC, EMOJI]) assert.ok(bodies.includes(text), `console shows as text: ${text}`);
  assert.ok(bodies.some((b) => b.length === 100_000), "the console has the 100 KB message too");
  assert.deepEqual(await injected(agent.locator("main")), [], "no script and no on* attribute in the console");
  assert.equal(await agent.locator('a[href^="javascript:"], a[href^="data:"]').count(), 0);
  await shot(agent, "hostile-console.png");

  assert.deepEqual(problems, [], "no page error, dialog or console error");
});
