// The demo widget (www/index.html) and the agent console (www/agent.html) in Chromium
// against a devserver, as a visitor and an agent would use them: a whole conversation
// (pre-chat, text, an image with its upload progress, typing, replies, read ticks, an
// interactive answer, resolve, CSAT, a new conversation), the unread badge and a
// returning visitor, a failed send and Retry, the connection line through a dropped
// socket and offline, scroll-back through older pages, and the business-hours line.
// Each state is asserted in the DOM (and on the server) and saved as a screenshot.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { launch } from "./browser.mjs";
import { startDevserver } from "./devserver.mjs";
import { useServers } from "./suite.mjs";
import { consoleUrl, eventually, focused, makePng, openPage, say, shot, startChat, watch, widgetUrl } from "./widget-kit.mjs";

let server, files, context;
let problems = [];
let pages = [];
useServers((s) => ({ server, files, context } = s));
afterEach(async () => {
  for (const p of pages) await p.close();
  pages = [];
  await server.control("DELETE", "/faults");
  const seen = problems;
  problems = [];
  assert.deepEqual(seen, [], "no page error, dialog or console error");
});

async function widget(inbox, allow = [], extra = "") {
  const page = await openPage(context, widgetUrl(files, server, inbox, extra), "widget", problems, allow);
  pages.push(page);
  return page;
}
async function agentConsole(inbox, allow = []) {
  const page = await openPage(context, consoleUrl(files, server, inbox), "console", problems, allow);
  pages.push(page);
  return page;
}
/**
 * Runs console actions with the console in front: Chromium throttles the frames of the
 * page behind, which makes every click there wait for a stable frame.
 */
const switcher = (page, agent) => async (actions) => {
  await agent.bringToFront();
  try {
    return await actions();
  } finally {
    await page.bringToFront();
  }
};
const messagesOf = (id) => server.control("GET", `/conversations/${id}/messages`);
const conversationsOf = (inbox) => server.control("GET", `/inboxes/${inbox}/conversations`);

test("a whole conversation between the widget and the agent console", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support", csatSurveyEnabled: true });
  const page = await widget(inbox);
  const agent = await agentConsole(inbox);
  const onConsole = switcher(page, agent);
  await page.bringToFront();
  const launcher = page.locator(".cw-launcher");
  const panel = page.locator("#cw-panel");

  // 1. The launcher, closed.
  await launcher.waitFor();
  assert.equal(await launcher.getAttribute("aria-expanded"), "false");
  assert.equal(await launcher.getAttribute("aria-label"), "Open chat");
  assert.equal(await panel.isVisible(), false);
  await shot(page, "01-launcher.png");

  // 2. Opened from the keyboard: the pre-chat form, validated before anything is sent.
  await launcher.focus();
  await page.keyboard.press("Enter");
  await panel.waitFor();
  assert.equal(await launcher.getAttribute("aria-expanded"), "true");
  await page.getByRole("heading", { name: "Northwind Support" }).waitFor();
  assert.equal(await page.locator(".cw-presence").textContent(), "Online");
  assert.equal(await page.locator(".cw-hours").textContent(), "We typically reply in a few minutes");
  await eventually(async () => (await focused(page))?.id === "cw-prechat-name", "focus in the name field");
  await page.getByRole("button", { name: "Start conversation" }).click();
  assert.equal(await page.locator("#cw-prechat-name-error").textContent(), "Please tell us your name");
  await page.locator("#cw-prechat-name").fill("Zoe Tester");
  await page.locator("#cw-prechat-email").fill("zoe@example");
  await page.getByRole("button", { name: "Start conversation" }).click();
  assert.equal(await page.locator("#cw-prechat-email").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#cw-prechat-email-error").textContent(), "That doesn't look like an email address");
  assert.deepEqual(await conversationsOf(inbox), [], "an invalid form starts nothing");
  await shot(page, "02-prechat.png");
  await page.locator("#cw-prechat-email").fill("zoe@example.com");
  await page.getByRole("button", { name: "Start conversation" }).click();
  const composer = page.getByRole("textbox", { name: "Message" });
  await composer.waitFor();
  const [conversation] = await eventually(async () => {
    const list = await conversationsOf(inbox);
    return list.length === 1 && list[0].contact?.email === "zoe@example.com" && list;
  }, "the pre-chat answers on the contact");
  assert.equal(conversation.contact.name, "Zoe Tester");

  // 3. Text: Enter sends, Shift+Enter is a new line, the send button follows the text.
  const sendButton = page.getByRole("button", { name: "Send", exact: true });
  assert.equal(await sendButton.isDisabled(), true, "nothing to send yet");
  await composer.fill("Hello! I have a question about my invoice.");
  assert.equal(await sendButton.isDisabled(), false);
  await page.keyboard.press("Enter");
  const first = page.locator(".cw-row--mine", { hasText: "Hello! I have a question about my invoice." });
  await first.waitFor();
  await page.locator(".cw-row--mine[data-status='sent']").first().waitFor();
  assert.equal(await composer.inputValue(), "", "the composer clears");
  await composer.pressSequentially("Line one");
  await page.keyboard.press("Shift+Enter");
  await composer.pressSequentially("line two");
  await page.keyboard.press("Enter");
  await page.locator(".cw-row--mine[data-status='sent'] .cw-bubble", { hasText: "line two" }).waitFor();
  assert.equal(await page.locator(".cw-row--mine .cw-bubble").nth(1).textContent(), "Line one\nline two");
  assert.equal(await page.locator(".cw-row--mine .cw-status--sent").filter({ visible: true }).count(), 1, "one tick, on the group's last bubble");
  await shot(page, "03-sent.png");

  // 4. An image (8 MB), through a slow uplink: a pending bubble with the visitor's own
  // preview and an upload progress bar that fills as message.progress reports, then the
  // server's copy.
  const png = makePng(1700, 1600);
  await server.control("POST", "/faults", { kind: "slow_upload", bytesPerSecond: 2 * 1024 * 1024, method: "POST", pathContains: "/messages" });
  await page.locator(".cw-file-input").setInputFiles({ name: "screenshot.png", mimeType: "image/png", buffer: png });
  await page.locator(".cw-chip", { hasText: "screenshot.png" }).waitFor();
  await composer.fill("Here is the screen");
  // Every value the bar shows, as it changes.
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver((records) => {
      for (const r of records) if (r.target.classList?.contains("cw-progress")) window.progressSeen.push(Number(r.target.getAttribute("aria-valuenow")));
    }).observe(document.querySelector("chatwoot-inbox-widget").shadowRoot.querySelector(".cw-messages"), { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  await page.keyboard.press("Enter");
  const pending = page.locator(".cw-row--mine[data-status='sending']", { hasText: "Here is the screen" });
  await pending.locator(".cw-progress").waitFor();
  assert.match(await pending.locator(".cw-thumb img").getAttribute("src"), /^blob:/, "the visitor's own file while it uploads");
  await eventually(async () => {
    const pct = Number(await pending.locator(".cw-progress").getAttribute("aria-valuenow"));
    return pct > 0 && pct < 100;
  }, "the bar part-way");
  await shot(page, "04-upload-progress.png");
  const uploaded = page.locator(".cw-row--mine[data-status='sent']", { hasText: "Here is the screen" });
  await uploaded.waitFor({ timeout: 20_000 });
  assert.equal(await uploaded.locator(".cw-progress").count(), 0);
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(seen.length >= 2 && seen.some((p) => p > 0 && p < 100), `progress values ${seen}`);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), "the bar only moves forward");
  const thumb = uploaded.locator(".cw-thumb img");
  assert.ok((await thumb.getAttribute("src")).startsWith(`${server.url}/rails/active_storage/`), "the server's copy");
  await eventually(() => thumb.evaluate((img) => img.complete && img.naturalWidth === 1700), "the image loads");
  const stored = (await messagesOf(conversation.id)).find((m) => m.content === "Here is the screen");
  assert.equal(stored.attachments[0].file_type, "image");
  assert.equal(stored.attachments[0].file_size, png.length);
  await uploaded.locator(".cw-thumb").click();
  const lightbox = page.locator("dialog.cw-lightbox[open]");
  await lightbox.waitFor();
  assert.ok((await lightbox.locator("img").getAttribute("src")).startsWith(server.url));
  await shot(page, "05-image-viewer.png");
  await page.keyboard.press("Escape");
  await lightbox.waitFor({ state: "detached" });
  assert.equal(await panel.isVisible(), true, "Escape closed the image, not the chat");

  // 5. The agent types (console), the widget shows it.
  await onConsole(async () => {
    await agent.locator(".ac-item", { hasText: "Zoe Tester" }).click();
    await agent.locator("#conversation-inner").waitFor();
    await agent.getByRole("button", { name: "Typing: off" }).click();
  });
  const typing = page.locator(".cw-typing");
  await typing.waitFor();
  assert.equal(await typing.locator(".cw-visually-hidden").textContent(), "Ana Agent is typing");
  await shot(page, "06-agent-typing.png");

  // 6. The agent replies; typing stops; the visitor's messages get read ticks.
  await onConsole(async () => {
    await agent.getByRole("textbox", { name: "Reply" }).fill("Hi Zoe! Happy to help — which invoice is it? https://example.com/billing");
    await agent.keyboard.press("Enter");
  });
  const reply = page.locator(".cw-row--agent", { hasText: "Hi Zoe! Happy to help" });
  await reply.waitFor();
  assert.equal(await reply.locator(".cw-sender").textContent(), "Ana Agent");
  assert.equal(await reply.locator(".cw-avatar").textContent(), "AA");
  assert.equal(await reply.locator("a.cw-link").getAttribute("href"), "https://example.com/billing");
  await typing.waitFor({ state: "hidden" });
  const replyId = Number(await reply.getAttribute("data-id"));
  await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.id === replyId)?.status === "read", "markSeen marks the reply read");
  const firstId = (await messagesOf(conversation.id)).find((m) => m.message_type === 0).id;
  await onConsole(() => agent.locator(`.ac-msg[data-id="${firstId}"]`).getByRole("button", { name: "read" }).click());
  await page.locator(`.cw-row--mine[data-id="${firstId}"][data-status="read"]`).waitFor();
  await shot(page, "07-agent-reply.png");

  // 7. An interactive message (input_select), answered with one click.
  await onConsole(() => agent.getByRole("button", { name: "Options" }).click());
  const options = page.locator(".cw-options");
  await options.waitFor();
  assert.deepEqual(await options.locator(".cw-option").allTextContents(), ["Billing question", "Technical issue", "Talk to sales"]);
  await options.getByRole("button", { name: "Billing question" }).click();
  await options.locator(".cw-option--picked", { hasText: "Billing question" }).waitFor();
  for (const b of await options.locator(".cw-option").all()) assert.equal(await b.isDisabled(), true, "answered once");
  const select = await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.content_type === "input_select" && m.content_attributes.submitted_values), "the answer on the server");
  assert.deepEqual(select.content_attributes.submitted_values, [{ title: "Billing question", value: "billing" }]);
  await shot(page, "08-options.png");

  // 8. Resolved by the agent: the notice, the CSAT survey, then thanks.
  await onConsole(() => agent.getByRole("button", { name: "Resolve" }).click());
  const resolved = page.locator(".cw-resolved");
  await resolved.waitFor();
  assert.equal((await resolved.locator(".cw-resolved__text").textContent()).trim(), "This conversation was resolved");
  assert.equal(await composer.isVisible(), false);
  const csat = page.locator(".cw-csat");
  await csat.waitFor();
  assert.equal(await csat.locator(".cw-csat__choice").count(), 5);
  await shot(page, "09-resolved.png");
  await csat.getByRole("radio", { name: "5 – Very satisfied" }).click();
  await csat.getByText("Thanks for rating us!").waitFor();
  await csat.getByRole("textbox", { name: "Your feedback" }).fill("Quick and friendly, thanks!");
  await csat.getByRole("button", { name: "Send feedback" }).click();
  await csat.getByText("Thank you for your feedback!").waitFor();
  assert.equal(await csat.locator(".cw-csat__quote").textContent(), "Quick and friendly, thanks!");
  const survey = await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.content_type === "input_csat" && m.content_attributes.submitted_values?.csat_survey_response?.feedback_message), "the CSAT answer on the server");
  assert.deepEqual(survey.content_attributes.submitted_values.csat_survey_response, { rating: 5, feedback_message: "Quick and friendly, thanks!" });
  await shot(page, "10-csat.png");

  // 9. The console shows every message, with activity lines, statuses and answers.
  await agent.bringToFront();
  await agent.locator(".ac-answer", { hasText: "Rated 5/5" }).waitFor();
  await agent.locator(".ac-msg--activity", { hasText: "Conversation was marked resolved by Ana Agent" }).waitFor();
  await agent.locator(".ac-answer", { hasText: "Billing question = billing" }).waitFor();
  assert.equal(await agent.locator(".ac-pill", { hasText: "resolved" }).first().isVisible(), true);
  assert.ok(await agent.locator(".ac-badge--status-read").count() >= 2, "read statuses are shown");
  await shot(agent, "agent-console.png");
  await page.bringToFront();

  // 10. A new conversation: the composer comes back on an empty thread.
  await page.getByRole("button", { name: "Start a new conversation" }).click();
  await composer.waitFor();
  assert.equal(await resolved.isVisible(), false);
  assert.equal(await page.locator(".cw-row").count(), 0);
  await say(page, "One more thing…");
  const list = await conversationsOf(inbox);
  assert.equal(list.length, 2);
  assert.equal(list[1].messages.at(-1).content, "One more thing…");
  await shot(page, "11-new-conversation.png");
});

test("the console's other tools: bot replies, private notes, form and cards answered, presence, a server restart", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  const page = await widget(inbox);
  const agent = await agentConsole(inbox);
  const onConsole = switcher(page, agent);
  await page.bringToFront();
  await startChat(page);
  await say(page, "I need a new plan");
  const reply = agent.getByRole("textbox", { name: "Reply" });

  // A private note stays in the console; the bot's reply reaches the widget.
  await onConsole(async () => {
    await agent.locator(".ac-item", { hasText: "Zoe Tester" }).click();
    await agent.locator("#conversation-inner").waitFor();
    await agent.getByLabel("Private note").check();
    await reply.fill("Internal: upsell Team plan");
    await agent.keyboard.press("Enter");
    await agent.locator(".ac-msg--private", { hasText: "Internal: upsell Team plan" }).waitFor();
    await agent.getByLabel("Private note").uncheck();
    await agent.getByLabel("Helper Bot").check();
    await reply.fill("I'm the bot. Let me collect a few details.");
    await agent.keyboard.press("Enter");
  });
  const bot = page.locator(".cw-row--agent", { hasText: "I'm the bot." });
  await bot.waitFor();
  assert.equal(await bot.locator(".cw-sender").textContent(), "Helper Bot");
  assert.equal(await page.locator(".cw-row", { hasText: "Internal: upsell" }).count(), 0, "private notes never reach the visitor");

  // A form: validated in the widget, answered as [{ name, title, value }].
  await onConsole(() => agent.getByRole("button", { name: "Form" }).click());
  const form = page.locator(".cw-form");
  await form.waitFor();
  await form.getByLabel("Work email").fill("not-an-email");
  await form.getByRole("button", { name: "Submit" }).click();
  assert.equal(await form.locator("#" + (await form.getByLabel("Work email").getAttribute("aria-describedby"))).textContent(), "Enter a valid email address");
  await form.getByLabel("Work email").fill("zoe@company.com");
  await form.getByLabel("Plan").selectOption("team");
  await form.getByLabel("What happened?").fill("We outgrew Hobby.");
  await form.getByRole("button", { name: "Submit" }).click();
  await form.getByText("Submitted").waitFor();
  assert.equal(await form.getByLabel("Work email").isDisabled(), true);
  const [conversation] = await conversationsOf(inbox);
  const answered = await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.content_type === "form" && m.content_attributes.submitted_values), "the form's answer");
  assert.deepEqual(answered.content_attributes.submitted_values, [
    { name: "email", title: "Work email", value: "zoe@company.com" },
    { name: "plan", title: "Plan", value: "team" },
    { name: "details", title: "What happened?", value: "We outgrew Hobby." },
  ]);

  // Cards: pictures from http(s), link actions as links, a postback answered.
  await onConsole(() => agent.getByRole("button", { name: "Cards" }).click());
  const cards = page.locator(".cw-cards");
  await cards.waitFor();
  assert.equal(await cards.locator(".cw-card").count(), 2);
  assert.equal(await cards.locator(".cw-card__action[href]").first().getAttribute("target"), "_blank");
  await cards.getByRole("button", { name: "Choose Team" }).click();
  await cards.locator(".cw-option--picked", { hasText: "Choose Team" }).waitFor();
  const picked = await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.content_type === "cards" && m.content_attributes.submitted_values), "the card's answer");
  assert.deepEqual(picked.content_attributes.submitted_values, [{ title: "Choose Team", value: "PLAN_TEAM" }]);
  await onConsole(() => agent.getByRole("button", { name: "Articles" }).click());
  await page.locator(".cw-articles a", { hasText: "Getting started" }).waitFor();
  await shot(page, "19-form-cards.png");

  // Presence from the console's selector; a server restart reconnects the widget.
  await onConsole(() => agent.getByLabel("Ana Agent's presence").selectOption("busy"));
  await page.locator(".cw-presence", { hasText: "Busy" }).waitFor();
  await onConsole(() => agent.getByLabel("Ana Agent's presence").selectOption("none"));
  await page.locator(".cw-presence", { hasText: "Away" }).waitFor();
  const reconnected = page.evaluate(() => new Promise((resolve, reject) => {
    const line = document.querySelector("chatwoot-inbox-widget").shadowRoot.querySelector(".cw-conn");
    const seen = [];
    setTimeout(() => reject(new Error(`no reconnect within 15 s: ${seen}`)), 15_000);
    new MutationObserver(() => {
      seen.push(line.dataset.state);
      if (seen.includes("reconnecting") && line.dataset.state === "open") resolve(seen);
    }).observe(line, { attributes: true, childList: true });
  }));
  await onConsole(() => agent.getByRole("button", { name: "Restart sockets" }).click());
  const states = await reconnected;
  assert.ok(states.indexOf("reconnecting") < states.lastIndexOf("open"), `reconnecting, then open: ${states}`);
  await say(page, "Still here after the restart");
  await agent.bringToFront();
  await agent.locator(".ac-msg-body", { hasText: "Still here after the restart" }).waitFor();
  assert.equal(await agent.locator(".ac-msg--private .ac-badge--private").first().textContent(), "private note");
  await shot(agent, "agent-console-tools.png");
});

test("attachments by paste and by drop; a file that is not an image is a link with its size", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const page = await widget(inbox);
  await startChat(page);
  // What a paste and a drop hand over (a DataTransfer with files), as the browser does.
  await page.getByRole("textbox", { name: "Message" }).evaluate((el) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(2048)], "notes.txt", { type: "text/plain" }));
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await page.locator(".cw-chip", { hasText: "notes.txt" }).waitFor();
  await page.locator("#cw-panel").evaluate((panel) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(5000)], "invoice 2026.pdf", { type: "application/pdf" }));
    panel.dispatchEvent(new DragEvent("dragenter", { dataTransfer: data, bubbles: true, cancelable: true }));
    panel.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.locator(".cw-chip", { hasText: "invoice 2026.pdf" }).waitFor();
  assert.equal(await page.locator(".cw-drop").isVisible(), false, "the drop overlay goes away");
  await page.locator(".cw-chip", { hasText: "notes.txt" }).getByRole("button", { name: "Remove notes.txt" }).click();
  assert.equal(await page.locator(".cw-chip").count(), 1);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const file = page.locator(".cw-row--mine[data-status='sent'] a.cw-file");
  await file.waitFor();
  assert.equal(await file.locator(".cw-file__name").textContent(), "invoice 2026.pdf");
  assert.equal(await file.locator(".cw-file__size").textContent(), "4.9 kB");
  assert.match(await file.getAttribute("href"), /^http:\/\/127\.0\.0\.1:\d+\/rails\/active_storage\//);
  assert.equal(await file.getAttribute("rel"), "noopener noreferrer");
  const [conversation] = await conversationsOf(inbox);
  const stored = (await messagesOf(conversation.id)).at(-1);
  assert.deepEqual(stored.attachments.map((a) => [a.file_type, a.file_size]), [["file", 5000]]);
});

test("dark mode and a narrow screen: dark colours, the panel fills the screen", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  const page = await widget(inbox);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 760 });
  await startChat(page);
  await say(page, "Hello from my phone");
  const [conversation] = await conversationsOf(inbox);
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: "Hi! Dark mode looks good on you." });
  await page.locator(".cw-row--agent", { hasText: "Dark mode" }).waitFor();
  const box = await page.locator("#cw-panel").boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 390, 760], "full screen");
  assert.equal(await page.locator(".cw-launcher").isVisible(), false, "the panel's own button closes it");
  const bg = await page.locator("#cw-panel").evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 120, `a dark panel (${bg})`);
  await shot(page, "20-dark-mobile.png");
  await page.getByRole("button", { name: "Close chat" }).first().click();
  await page.locator(".cw-launcher").waitFor();
});

test("a signed-in visitor (identifier + hash in the URL) skips the pre-chat; a wrong hash is refused", async () => {
  const { identifier: inbox, hmacToken } = await server.control("POST", "/inboxes", { name: "Northwind Support", identityValidation: true });
  const identifier = "user-42";
  const hash = createHmac("sha256", hmacToken).update(identifier).digest("hex");
  const page = await widget(inbox, [], `&identifier=${identifier}&identifierHash=${hash}&name=Ana%20Lima&email=ana@example.com`);
  await page.locator(".cw-launcher").click();
  await page.getByRole("textbox", { name: "Message" }).waitFor();
  assert.equal(await page.locator(".cw-prechat").count(), 0, "a known user needs no pre-chat form");
  assert.deepEqual(await conversationsOf(inbox), [], "no conversation until the first message");
  await say(page, "Hi, it's Ana");
  const [conversation] = await conversationsOf(inbox);
  assert.deepEqual([conversation.contact.identifier, conversation.contact.name, conversation.contact.email], [identifier, "Ana Lima", "ana@example.com"]);

  const forged = await widget(inbox, [/status of 500/], `&identifier=${identifier}&identifierHash=${"0".repeat(64)}`);
  await forged.locator(".cw-launcher").click();
  await forged.locator(".cw-empty[role='alert']").waitFor();
  assert.equal(await forged.locator(".cw-empty__text").textContent(), "We couldn't confirm who you are. Please sign in again.");
  assert.equal(await forged.locator(".cw-row").count(), 0, "nothing of Ana's is shown");
});

test("unread badge while the panel is closed, and a returning visitor goes straight to the conversation", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  const page = await widget(inbox);
  await startChat(page);
  await say(page, "Are you there?");
  await page.keyboard.press("Escape");
  await page.locator("#cw-panel").waitFor({ state: "hidden" });
  assert.equal((await focused(page))?.classes.includes("cw-launcher"), true, "focus returns to the launcher");

  const [conversation] = await conversationsOf(inbox);
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: "Yes! Give me a second." });
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: "I'm looking at your account now." });
  const badge = page.locator(".cw-badge");
  await page.locator(".cw-badge", { hasText: "2" }).waitFor();
  assert.equal(await page.locator(".cw-launcher").getAttribute("aria-label"), "Open chat, 2 unread messages");
  assert.equal(await page.locator(".cw-peek__text").textContent(), "I'm looking at your account now.");
  const agentIds = (await messagesOf(conversation.id)).filter((m) => m.message_type === 1).map((m) => m.id);
  assert.ok((await messagesOf(conversation.id)).filter((m) => agentIds.includes(m.id)).every((m) => m.status !== "read"), "unseen while closed");
  await shot(page, "12-unread-badge.png");

  await page.locator(".cw-launcher").click();
  await badge.waitFor({ state: "hidden" });
  await eventually(async () => (await messagesOf(conversation.id)).filter((m) => agentIds.includes(m.id)).every((m) => m.status === "read"), "opening marks them seen");

  // A reload: the stored session resumes, no pre-chat; the panel stays open.
  await page.reload();
  await page.locator(".cw-row--agent", { hasText: "I'm looking at your account now." }).waitFor();
  assert.equal(await page.locator(".cw-prechat").count(), 0);
  assert.equal(await page.locator(".cw-row").count(), 3);
  assert.equal(await page.locator(".cw-launcher").getAttribute("aria-expanded"), "true");
});

test("a signed-in visitor's first message survives a failed start; destroy() leaves nothing behind", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  const page = await widget(inbox, [/status of 503/], "&identifier=user-7&name=Bo%20Berg&email=bo@example.com");
  await page.locator(".cw-launcher").click();
  const box = page.getByRole("textbox", { name: "Message" });
  await box.waitFor();
  await server.control("POST", "/faults", { kind: "status", status: 503, method: "POST", pathContains: "/conversations" });
  await box.fill("My first question");
  await box.press("Enter");
  await page.locator(".cw-toast").waitFor();
  assert.equal(await box.inputValue(), "My first question", "the draft stays when the conversation could not start");
  assert.deepEqual(await conversationsOf(inbox), []);
  await box.press("Enter");
  await page.locator(".cw-row--mine[data-status='sent']", { hasText: "My first question" }).waitFor();
  assert.equal(await box.inputValue(), "", "cleared once the SDK holds it");
  const [conversation] = await conversationsOf(inbox);
  assert.deepEqual((await messagesOf(conversation.id)).map((m) => m.content), ["My first question"], "sent once");

  const left = await page.evaluate(async () => {
    window.chatWidget.remove(); // the element out of the page: its widget is destroyed
    window.chatWidget.remove(); // twice is harmless
    const { diagnostics } = await import("/pkg/index.js");
    await new Promise((r) => setTimeout(r, 100));
    return { widget: document.querySelectorAll("chatwoot-inbox-widget").length + window.chatWidget.shadowRoot.querySelectorAll(".cw-launcher, .cw-panel").length, ...diagnostics() };
  });
  assert.deepEqual([left.widget, left.sockets, left.timers, left.listeners], [0, 0, 0, 0], JSON.stringify(left));
  await page.keyboard.press("Escape"); // the document listener is gone with it: no error
});

test("a failed send shows Retry, which sends it once", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const page = await widget(inbox, [/status of 500/]);
  await startChat(page);
  await server.control("POST", "/faults", { kind: "status", status: 500, method: "POST", pathContains: "/messages" });
  await page.getByRole("textbox", { name: "Message" }).fill("Will this arrive?");
  await page.keyboard.press("Enter");
  const row = page.locator(".cw-row--mine[data-status='failed']", { hasText: "Will this arrive?" });
  await row.waitFor();
  assert.equal((await row.locator(".cw-failed").textContent()).trim(), "Not deliveredRetry");
  await page.locator(".cw-toast", { hasText: "Message not sent" }).waitFor();
  await shot(page, "13-failed.png");
  await row.getByRole("button", { name: "Retry" }).click();
  await page.locator(".cw-row--mine[data-status='sent']", { hasText: "Will this arrive?" }).waitFor();
  const [conversation] = await conversationsOf(inbox);
  assert.equal((await messagesOf(conversation.id)).filter((m) => m.content === "Will this arrive?").length, 1);
});

test("a send with the network cut waits, marked, and goes out by itself once it is back; Discard drops one", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const page = await widget(inbox, [/ERR_INTERNET_DISCONNECTED/, /Failed to load resource/]);
  await startChat(page);
  // The browser cannot reach the server for sends (as offline): the POSTs are aborted.
  const cut = (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue());
  await page.route(/\/messages$/, cut);
  for (const text of ["Sent when back", "Never mind this one"]) {
    await page.getByRole("textbox", { name: "Message" }).fill(text);
    await page.keyboard.press("Enter");
    await page.locator(".cw-row--mine[data-status='queued']", { hasText: text }).waitFor();
  }
  const waiting = page.locator(".cw-row--mine[data-status='queued']", { hasText: "Sent when back" });
  assert.match(await waiting.locator(".cw-queued").textContent(), /Waiting for a connection/);
  await shot(page, "13b-queued.png");
  await page.locator(".cw-row--mine", { hasText: "Never mind this one" }).getByRole("button", { name: "Discard" }).click();
  await page.locator(".cw-row--mine", { hasText: "Never mind this one" }).waitFor({ state: "detached" });
  // Fails if the queued send is not sent by itself (no Retry is pressed), or twice.
  await page.unroute(/\/messages$/, cut);
  await page.locator(".cw-row--mine[data-status='sent']", { hasText: "Sent when back" }).waitFor({ timeout: 20_000 });
  const [conversation] = await conversationsOf(inbox);
  const onServer = (await messagesOf(conversation.id)).map((m) => m.content);
  assert.equal(onServer.filter((c) => c === "Sent when back").length, 1);
  assert.equal(onServer.filter((c) => c === "Never mind this one").length, 0, "the discarded one never went");
});

test("the connection line: reconnecting with a countdown after a dropped socket, offline, then gone", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", {});
  const allow = [/WebSocket/i, /ERR_INTERNET_DISCONNECTED/];
  const page = await context.newPage();
  pages.push(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  watch(page, "widget", problems, allow);
  // The page's sockets go through this route, so reconnects can be held back.
  let refuse = false;
  await page.routeWebSocket(/\/cable/, (ws) => (refuse ? ws.close() : ws.connectToServer()));
  await page.goto(widgetUrl(files, server, inbox));
  await startChat(page);
  const line = page.locator(".cw-conn");
  await line.waitFor({ state: "hidden" });

  refuse = true;
  await server.control("POST", "/sockets/drop", {});
  await page.locator(".cw-conn[data-state='reconnecting']").waitFor();
  await eventually(async () => /^Connection lost — reconnecting in \d+ s…$/.test(await line.textContent()), "a countdown");
  await shot(page, "14-reconnecting.png");
  refuse = false;
  await line.waitFor({ state: "hidden", timeout: 30_000 });

  await context.setOffline(true);
  try {
    await page.locator(".cw-conn[data-state='offline']").waitFor();
    assert.equal(await line.textContent(), "You're offline — we'll reconnect when you're back online");
    await shot(page, "15-offline.png");
  } finally {
    await context.setOffline(false);
  }
  await line.waitFor({ state: "hidden", timeout: 30_000 });
  await say(page, "Back online");
});

test("scroll-back: older pages load at the top, the view keeps its place, the start is marked", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support" });
  let page = await widget(inbox);
  await startChat(page);
  const [conversation] = await conversationsOf(inbox);
  // 45 agent messages over the last three days (ids and times both ascending).
  const now = Math.floor(Date.now() / 1000);
  for (let i = 1; i <= 45; i++) {
    const m = await server.control("POST", `/conversations/${conversation.id}/messages`, { content: `History message ${i}` });
    await server.control("PATCH", `/messages/${m.id}`, { createdAt: now - (46 - i) * 5400 });
  }
  await page.reload();
  const rows = page.locator(".cw-row");
  await page.locator(".cw-row", { hasText: "History message 45" }).waitFor();
  await eventually(async () => (await rows.count()) === 20, "the newest page");
  const scroller = page.locator(".cw-scroll");
  assert.ok(await scroller.evaluate((e) => e.scrollHeight - e.scrollTop - e.clientHeight < 2), "starts at the bottom");

  // To the top: the next page comes in above, and "History message 26" stays in view.
  await scroller.evaluate((e) => e.scrollTo({ top: 0 }));
  await eventually(async () => (await rows.count()) === 40, "a second page");
  const kept = await page.locator(".cw-row", { hasText: "History message 26" }).evaluate((row) => {
    const box = row.getBoundingClientRect();
    const view = row.closest(".cw-scroll").getBoundingClientRect();
    return box.top >= view.top - 1 && box.top < view.bottom;
  });
  assert.equal(kept, true, "the row that was at the top is still in view");
  assert.ok(await scroller.evaluate((e) => e.scrollTop > 100), "the list did not jump to the new top");

  await scroller.evaluate((e) => e.scrollTo({ top: 0 }));
  await page.locator(".cw-history--start", { hasText: "This is the beginning of the conversation" }).waitFor();
  assert.equal(await rows.count(), 45);
  assert.equal(await rows.first().textContent().then((t) => t.includes("History message 1")), true);
  await scroller.evaluate((e) => e.scrollTo({ top: 0 }));
  const days = await page.locator(".cw-day").allTextContents();
  assert.ok(days.length >= 3, `day separators: ${days}`);
  assert.equal(new Set(days).size, days.length, "one separator per day");
  await shot(page, "16-history.png");
});

test("an unreachable server: the panel says so and offers to try again", async () => {
  // A port nothing listens on (the devserver's, once it is stopped, would do too).
  const dead = await startDevserver();
  dead.stop();
  await new Promise((r) => setTimeout(r, 100));
  const page = await openPage(context, `${files.url}/www/?baseUrl=${encodeURIComponent(dead.url)}&inbox=demo-inbox`, "widget", problems, [/ERR_CONNECTION_REFUSED/]);
  pages.push(page);
  await page.locator(".cw-launcher").click();
  const empty = page.locator(".cw-empty[role='alert']");
  await empty.waitFor({ timeout: 30_000 });
  assert.equal(await empty.locator(".cw-empty__title").textContent(), "We can't reach the chat right now");
  assert.equal(await empty.locator(".cw-empty__text").textContent(), "Can't reach the chat server. Check your connection.");
  await empty.getByRole("button", { name: "Try again" }).waitFor();
  await shot(page, "18-unreachable.png");
});

test("business hours: away lines by the inbox's clock, named in its zone", async () => {
  const { identifier: inbox } = await server.control("POST", "/inboxes", { name: "Northwind Support", workingHoursEnabled: true, timezone: "Europe/Berlin" });
  // Its own browser: the fake clock and the visitor's timezone hold for a whole context.
  const own = await launch([], { timezoneId: "America/New_York", viewport: { width: 1280, height: 800 } });
  try {
    const page = await own.newPage();
      watch(page, "widget", problems, []);
    const hours = page.locator(".cw-hours");
    const at = async (iso) => {
      await page.clock.setFixedTime(new Date(iso));
      await page.goto(widgetUrl(files, server, inbox));
      const launcher = page.locator(".cw-launcher");
      // After the first time the panel reopens by itself (it stays open across reloads).
      if ((await launcher.getAttribute("aria-expanded")) !== "true") await launcher.click();
      await page.locator(".cw-prechat").waitFor();
      return hours.textContent();
    };
    assert.equal(await at("2026-12-05T12:00:00+01:00"), "We're away — we reply on Monday at 9:00 AM (GMT+1)", "Saturday");
    assert.equal(await page.locator(".cw-panel--away").count(), 1);
    await shot(page, "17-away.png");
    assert.equal(await at("2026-12-02T18:30:00+01:00"), "We're away — we reply tomorrow at 9:00 AM (GMT+1)", "Wednesday evening");
    assert.equal(await at("2026-12-02T07:15:00+01:00"), "We're away — we reply today at 9:00 AM (GMT+1)", "Wednesday morning");
    assert.equal(await at("2026-12-02T10:00:00+01:00"), "We typically reply in a few minutes", "Wednesday, open");
    assert.equal(await page.locator(".cw-panel--away").count(), 0);
  } finally {
    await own.close();
  }
});
