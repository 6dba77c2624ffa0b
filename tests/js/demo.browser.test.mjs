// The www/ demo page in Chromium: it loads the inbox, sends a message, and shows an
// agent's reply, with hostile text rendered inertly. Saves a screenshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

let server, files, context;
before(async () => {
  server = await startDevserver();
  files = await startStatic();
  context = await launch();
});
after(async () => {
  await context?.close();
  files?.stop();
  server?.stop();
});

test("the demo page chats with the devserver", async () => {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("dialog", (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(`${files.url}/www/?baseUrl=${encodeURIComponent(server.url)}&inbox=demo-inbox`);
  await page.getByRole("heading", { name: "Demo support" }).waitFor();
  await page.getByLabel("Message").fill("Hello from the demo");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator("#messages li.incoming", { hasText: "Hello from the demo" }).waitFor();

  const [conversation] = await server.control("GET", "/inboxes/demo-inbox/conversations");
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: `<img src=x onerror="alert(1)"> Hi, how can I help?` });
  const reply = page.locator("#messages li.outgoing");
  await reply.waitFor({ timeout: 5000 });
  assert.equal(await reply.textContent(), `<img src=x onerror="alert(1)"> Hi, how can I help?`);
  assert.equal(await page.locator("#messages img").count(), 0, "message text is never HTML");
  mkdirSync("test-output", { recursive: true });
  await page.screenshot({ path: "test-output/demo-chat.png" });
  assert.deepEqual(problems, []);
});
