// The React example (examples/react) built with Vite: it chats through the SDK in
// Chromium, re-rendering from useSyncExternalStore on the session's snapshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
let server, files, context;
before(async () => {
  execFileSync(`${root}node_modules/.bin/vite`, ["build", "examples/react", "--base", "/target/react-example/"], { cwd: root, stdio: "pipe" });
  server = await startDevserver();
  files = await startStatic();
  context = await launch();
});
after(async () => {
  await context?.close();
  files?.stop();
  server?.stop();
});

test("the React example sends, shows the agent's typing and reply, and tracks the state", async () => {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${files.url}/target/react-example/?baseUrl=${encodeURIComponent(server.url)}&inbox=demo-inbox`);
  await page.getByTestId("state").getByText("open").waitFor();
  await page.getByRole("textbox", { name: "Message" }).fill("hello from React");
  await page.getByRole("button", { name: "Send" }).click();
  const mine = page.locator('li[data-type="incoming"]', { hasText: "hello from React" });
  await mine.waitFor();
  await page.locator('li[data-type="incoming"][data-status="sent"]').waitFor();
  const [conversation] = await server.control("GET", "/inboxes/demo-inbox/conversations");
  await server.control("POST", `/conversations/${conversation.id}/typing`, { typingStatus: "on" });
  await page.getByTestId("typing").waitFor();
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: "hello, React" });
  await page.locator('li[data-type="outgoing"]', { hasText: "hello, React" }).waitFor();
  assert.equal(await mine.count(), 1, "the optimistic bubble became the sent message: one, not two");
  // Every state React renders from here on.
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="state"]');
    window.states = [];
    new MutationObserver(() => window.states.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await server.control("POST", "/sockets/drop", {});
  await page.waitForFunction(() => window.states.includes("reconnecting") && window.states.at(-1) === "open");
  assert.deepEqual(errors, []);
});
