// Accessibility of the drop-in widget, in Chromium: axe-core (run in the page, into the
// widget's shadow root) in each state a visitor meets — closed, open on the pre-chat
// form, a conversation with an agent's reply, the CSAT survey — in light and in dark,
// and in Arabic (right to left); none may have a serious or critical violation. Then one whole conversation by keyboard
// alone: open, fill the form, write, attach, send, answer an interactive message, close;
// focus goes into the panel on open and back to the launcher on close, and a new agent
// message is announced in a live region. Prints the axe figures per state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { useServers } from "./suite.mjs";
import { converse, focused, openPage, widgetUrl } from "./widget-kit.mjs";
import en from "../../www/widget/locales/en.js";
import ar from "../../www/widget/locales/ar.js";

const axePath = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));
let server, files, context;
useServers((s) => ({ server, files, context } = s));

/** axe-core's violations on the page, as `{ id, impact, nodes }`. */
async function audit(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, where: v.nodes[0]?.target?.join(" ") }));
  });
}

test("axe-core: no serious or critical violation in any state, light or dark, and right to left", async () => {
  const figures = {};
  for (const [scheme, t] of [["light", en], ["dark", en], ["light/ar", ar]]) {
    const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support", csatSurveyEnabled: true });
    const problems = [];
    const locale = t === ar ? "&locale=ar" : "";
    const page = await openPage(context, widgetUrl(files, server, inbox, locale), "widget", problems);
    await page.emulateMedia({ colorScheme: scheme.split("/")[0], reducedMotion: "reduce" });
    const states = {};
    await page.locator(".cw-launcher").waitFor();
    states.closed = await audit(page);
    await page.locator(".cw-launcher").click();
    await page.locator("#cw-prechat-name").waitFor();
    states.prechat = await audit(page);
    const conversation = await converse(page, server, inbox, { t, text: "Can I use this with a screen reader?", reply: "Yes: every control has a name." });
    states.conversation = await audit(page);
    await server.control("PATCH", `/conversations/${conversation}`, { status: "resolved" });
    await page.locator(".cw-csat").waitFor();
    states.csat = await audit(page);
    for (const [state, violations] of Object.entries(states)) {
      figures[`${scheme}/${state}`] = violations.map((v) => `${v.id} (${v.impact}, ${v.nodes})`);
      const grave = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(grave, [], `${scheme}, ${state}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
  console.log(`axe figures: ${JSON.stringify(figures)}`);
});

test("a whole conversation by keyboard alone, with focus handled and new messages announced", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  const problems = [];
  const page = await openPage(context, widgetUrl(files, server, inbox), "widget", problems);
  await page.locator(".cw-launcher").waitFor();
  const key = (k) => page.keyboard.press(k);
  /** Tabs until the focused element satisfies `pred` (at most 40 presses). */
  const tabTo = async (pred, what) => {
    for (let i = 0; i < 40; i++) {
      if (pred(await focused(page))) return;
      await key("Tab");
    }
    throw new Error(`Tab never reached ${what}`);
  };
  await tabTo((f) => f?.classes.includes("cw-launcher"), "the launcher");
  await key("Enter");
  // Focus goes into the panel: the pre-chat form's first field.
  await page.locator("#cw-prechat-name").waitFor();
  assert.equal((await focused(page))?.id, "cw-prechat-name", "focus moves into the panel on open");
  await page.keyboard.type("Kay Board");
  await key("Tab");
  await page.keyboard.type("kay@example.com");
  await key("Enter");
  const message = page.getByRole("textbox", { name: "Message" });
  await message.waitFor();
  await tabTo((f) => f?.classes.includes("cw-input"), "the message field");
  await page.keyboard.type("Typed, not clicked");
  await key("Enter");
  await page.locator(".cw-row--mine[data-status='sent']", { hasText: "Typed, not clicked" }).waitFor();
  // An attachment by keyboard: the paperclip opens the file chooser.
  // (Up to three tries, each a fresh Tab to the button: on a loaded machine the key can
  // land while the list re-renders; one must open the chooser.)
  let chooser = null;
  for (let i = 0; i < 3 && !chooser; i++) {
    await tabTo((f) => f?.label === "Attach files", "the attach button");
    const opened = page.waitForEvent("filechooser", { timeout: 5_000 }).catch(() => null);
    await key("Enter");
    chooser = await opened;
  }
  assert.ok(chooser, "Enter on the attach button opens the file chooser");
  await chooser.setFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("by keyboard") });
  await tabTo((f) => f?.classes.includes("cw-input"), "the message field again");
  await key("Enter");
  await page.locator(".cw-row--mine[data-status='sent'] .cw-file").waitFor();
  // An agent question, answered with the keyboard; it is announced in a live region.
  const [conversation] = await server.control("GET", `/inboxes/${inbox}/conversations`);
  await server.control("POST", `/conversations/${conversation.id}/messages`, {
    content: "Which plan?",
    contentType: "input_select",
    contentAttributes: { items: [{ title: "Team", value: "team" }, { title: "Enterprise", value: "enterprise" }] },
  });
  await page.locator(".cw-row", { hasText: "Which plan?" }).waitFor();
  const announced = await page.evaluate(() => {
    const root = document.querySelector("chatwoot-inbox-widget").shadowRoot;
    return [...root.querySelectorAll("[aria-live]")].some((r) => r.textContent.includes("Which plan?"));
  });
  assert.ok(announced, "the new message is in a live region");
  await tabTo((f) => f?.classes.includes("cw-option"), "the first option");
  await key("Enter");
  await page.locator(".cw-row", { hasText: "Which plan?" }).locator(".cw-option--picked[aria-pressed='true']").waitFor();
  // Escape closes, and focus returns to the launcher.
  await key("Escape");
  await page.locator(".cw-panel").waitFor({ state: "hidden" });
  assert.ok((await focused(page))?.classes.includes("cw-launcher"), "focus returns to the launcher");
  const stored = await server.control("GET", `/conversations/${conversation.id}/messages`);
  assert.ok(stored.some((m) => m.content === "Typed, not clicked"));
  assert.deepEqual(problems, []);
  await page.close();
});
