// The drop-in widget's languages, in Chromium against the devserver: each locale's texts
// come from its table (English, Bahasa Indonesia, Spanish, Arabic), Arabic lays the
// widget out right to left, dates and times are the locale's in the inbox's timezone (not
// the visitor's), plural texts follow Intl.PluralRules, and a site overrides any text.
// Screenshots in test-output/screenshots/widget-locale-*.png. The first test needs no
// browser: every table has the English keys and placeholders.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";
import { SHOTS, converse as conversation, watch } from "./widget-kit.mjs";
import en from "../../www/widget/locales/en.js";
import id from "../../www/widget/locales/id.js";
import es from "../../www/widget/locales/es.js";
import ar from "../../www/widget/locales/ar.js";

const TABLES = { en, id, es, ar };
const INBOX_ZONE = "Asia/Jakarta"; // UTC+7 all year
const VISITOR_ZONE = "America/New_York"; // 11 or 12 hours behind it: another hour, often another day
let server, files, context;

before(async () => {
  server = await startDevserver();
  files = await startStatic();
  context = await launch([], { timezoneId: VISITOR_ZONE, viewport: { width: 1100, height: 760 } });
});
after(async () => {
  await context?.close();
  files?.stop();
  server?.stop();
});

const plainKey = (key) => key.replace(/_(zero|one|two|few|many|other)$/, "");
/** Through the pre-chat form in `t`'s language to a conversation, one message each way. */
const converse = (page, inbox, t) => conversation(page, server, inbox, { t, text: "Hello there", reply: "An answer from the team" });
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every locale table has exactly the English keys, with the same placeholders, and no empty text", () => {
  const english = new Set(Object.keys(en).map(plainKey));
  for (const [lang, table] of Object.entries(TABLES)) {
    const keys = new Set(Object.keys(table).map(plainKey));
    assert.deepEqual([...english].filter((k) => !keys.has(k)), [], `${lang}: keys missing`);
    assert.deepEqual([...keys].filter((k) => !english.has(k)), [], `${lang}: keys English does not have`);
    for (const [key, text] of Object.entries(table)) {
      assert.ok(typeof text === "string" && text.trim() !== "", `${lang}.${key} is empty`);
      const base = en[key] ?? en[`${plainKey(key)}_other`] ?? en[plainKey(key)];
      // A plural form may leave the count out ("one message"); it names nothing else.
      const own = placeholders(text).filter((p) => p !== "count");
      assert.deepEqual(own, placeholders(base).filter((p) => p !== "count"), `${lang}.${key}: placeholders`);
    }
    // A plural key needs its "other" form, the one Intl.PluralRules falls back to.
    for (const key of Object.keys(table).filter((k) => k !== plainKey(k))) {
      assert.ok(`${plainKey(key)}_other` in table, `${lang}.${key}: no _other form`);
    }
  }
});

/** A blank page of the static host with the widget's ESM entry loaded, its problems watched. */
async function blankPage(name, problems) {
  const page = await context.newPage();
  watch(page, name, problems, []);
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
  return page;
}

/** Mounts `<chatwoot-inbox-widget>` with `attributes` (through the package's ESM entry). */
async function mount(page, attributes) {
  await page.evaluate(async ({ pkg, attributes }) => {
    await import(pkg);
    const el = document.createElement("chatwoot-inbox-widget");
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
    document.body.append(el);
  }, { pkg: `${files.url}/pkg/widget.js`, attributes });
}

for (const lang of Object.keys(TABLES)) {
  test(`locale ${lang}: its texts, its direction, dates in the inbox's timezone`, async () => {
    const t = TABLES[lang];
    const problems = [];
    const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind", timezone: INBOX_ZONE });
    const page = await blankPage(lang, problems);
    if (lang === "id") {
      // The script tag: its locale tables are inside it.
      await page.evaluate(({ src, baseUrl, inbox }) => {
        const script = document.createElement("script");
        Object.assign(script.dataset, { baseUrl, inbox, locale: "id-ID" });
        script.src = src;
        document.body.append(script);
      }, { src: `${files.url}/pkg/chatwoot-inbox-widget.js`, baseUrl: server.url, inbox });
    } else {
      await mount(page, { "base-url": server.url, inbox, locale: lang === "es" ? "es-MX" : lang });
    }

    const launcher = page.locator(".cw-launcher");
    await launcher.waitFor();
    assert.equal(await launcher.getAttribute("aria-label"), t.openChat);
    await launcher.click();
    await page.locator(".cw-prechat").waitFor();
    assert.equal(await page.locator(".cw-prechat__title").textContent(), t.prechatTitle);
    assert.equal(await page.locator(".cw-prechat__text").textContent(), t.prechatText.replace("{inbox}", "Northwind"));
    assert.equal(await page.locator(".cw-hours").textContent(), t.hoursOpen);
    assert.equal(await page.locator(".cw-header__close").getAttribute("aria-label"), t.closeChat);
    // The form's own checks speak the language too.
    await page.getByRole("button", { name: t.startConversation }).click();
    assert.equal(await page.locator("#cw-prechat-name-error").textContent(), t.nameMissing);
    // An email address reads left to right in every language (in Arabic, kept to the right edge).
    const email = await page.locator(".cw-prechat input[type=email]").evaluate((el) => [getComputedStyle(el).direction, getComputedStyle(el).textAlign]);
    assert.deepEqual(email, lang === "ar" ? ["ltr", "right"] : ["ltr", "start"]);
    if (lang === "ar") await page.screenshot({ path: `${SHOTS}/widget-locale-ar-prechat.png`, animations: "disabled" });

    await converse(page, inbox, t);
    assert.equal(await page.getByRole("textbox", { name: t.message }).getAttribute("placeholder"), t.writeMessage);
    assert.equal(await page.locator(".cw-send").getAttribute("aria-label"), t.send);
    assert.equal(await page.locator(".cw-row--mine .cw-status").getAttribute("aria-label"), t.sent);

    // The direction: Arabic right to left, the rest left to right.
    const rtl = lang === "ar";
    const widget = page.locator(".cw-widget");
    assert.equal(await widget.getAttribute("dir"), rtl ? "rtl" : "ltr");
    assert.equal(await widget.evaluate((el) => getComputedStyle(el).direction), rtl ? "rtl" : "ltr");
    const [mine, theirs] = [await page.locator(".cw-row--mine .cw-bubble").boundingBox(), await page.locator(".cw-row--agent .cw-bubble").boundingBox()];
    assert.equal(mine.x < theirs.x, rtl, "the visitor's bubbles sit at the end of the line (the left, right to left)");
    const [input, send] = [await page.locator(".cw-input").boundingBox(), await page.locator(".cw-send").boundingBox()];
    assert.equal(send.x < input.x, rtl, "the send button follows the text field in the reading direction");

    // Dates and times: the locale's, in the inbox's timezone, whatever the visitor's is.
    const time = page.locator(".cw-row--agent time");
    const shown = await time.evaluate((el, { tag, zone }) => {
      const at = Date.parse(el.getAttribute("datetime"));
      const format = (timeZone) => new Intl.DateTimeFormat(tag, { hour: "numeric", minute: "2-digit", timeZone }).format(at);
      const today = new Intl.RelativeTimeFormat(tag, { numeric: "auto" }).format(0, "day");
      return { text: el.textContent, inInbox: format(zone), inVisitor: format(undefined), today: today.charAt(0).toLocaleUpperCase(tag) + today.slice(1), day: document.querySelector("chatwoot-inbox-widget").shadowRoot.querySelector(".cw-day").textContent };
    }, { tag: lang === "es" ? "es-MX" : lang === "id" ? "id-ID" : lang, zone: INBOX_ZONE });
    assert.equal(shown.text, shown.inInbox, "the time is the inbox's");
    assert.notEqual(shown.inInbox, shown.inVisitor, "(the visitor's clock says something else)");
    assert.equal(shown.day, shown.today, "the day separator is the locale's word for today");

    await page.screenshot({ path: `${SHOTS}/widget-locale-${lang}.png`, animations: "disabled" });
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test("a site's own texts (attribute and property) win over the locale's; plural forms follow Intl.PluralRules", async () => {
  const problems = [];
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind" });
  const page = await blankPage("texts", problems);
  await mount(page, { "base-url": server.url, inbox, locale: "ar", texts: JSON.stringify({ prechatTitle: "أهلًا بك في نورثويند", send: "أرسِل" }) });
  const widget = page.locator("chatwoot-inbox-widget");
  await page.locator(".cw-launcher").click();
  const title = page.locator(".cw-prechat__title");
  await title.waitFor();
  assert.equal(await title.textContent(), "أهلًا بك في نورثويند", "the attribute's text");
  assert.equal(await page.locator(".cw-prechat__text").textContent(), ar.prechatText.replace("{inbox}", "Northwind"), "the rest is the locale's");

  // The property mounts it again; its keys win over the attribute's.
  // (The panel stays open: it remembers, as across a site's pages.)
  await widget.evaluate((el) => (el.texts = { prechatTitle: "مرحبًا من جديد" }));
  await page.locator(".cw-prechat__title", { hasText: "مرحبًا من جديد" }).waitFor();
  assert.deepEqual(await widget.evaluate((el) => el.texts), { prechatTitle: "مرحبًا من جديد", send: "أرسِل" });
  await converse(page, inbox, ar);
  assert.equal(await page.locator(".cw-send").getAttribute("aria-label"), "أرسِل", "the attribute's key the property left alone");

  // Closed, with unread agent messages: the launcher's label takes Arabic's plural forms.
  await page.locator(".cw-header__close").click();
  const [conversation] = await server.control("GET", `/inboxes/${inbox}/conversations`);
  const launcher = page.locator(".cw-launcher");
  const expect = { 1: ar.openChatUnread_one, 2: ar.openChatUnread_two, 3: ar.openChatUnread_few.replace("{count}", "3") };
  for (const count of [1, 2, 3]) {
    await server.control("POST", `/conversations/${conversation.id}/messages`, { content: `Unread ${count}` });
    await page.locator(`.cw-launcher[aria-label="${expect[count]}"]`).waitFor();
  }
  assert.equal(await launcher.getAttribute("aria-label"), expect[3]);
  await page.screenshot({ path: `${SHOTS}/widget-locale-ar-unread.png`, animations: "disabled" });

  // Another locale at run time: the widget mounts again in it (the session goes on).
  await widget.evaluate((el) => el.setAttribute("locale", "es"));
  await page.locator(".cw-widget[dir='ltr']").waitFor({ state: "attached" });
  assert.equal(await page.locator(".cw-header__close").getAttribute("aria-label"), es.closeChat);
  // A malformed texts attribute is ignored, with a warning; the widget still speaks Spanish.
  const warned = page.waitForEvent("console", (m) => m.type() === "warning" && /texts attribute/.test(m.text()));
  await widget.evaluate((el) => el.setAttribute("texts", "{not json"));
  await warned;
  await page.locator(".cw-widget[dir='ltr'] .cw-header__title").waitFor({ state: "attached" });
  assert.equal(await page.locator(".cw-header__close").getAttribute("aria-label"), es.closeChat);
  assert.deepEqual(problems, []);
  await page.close();
});
