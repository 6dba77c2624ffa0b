// The usual setup of a browser test file: a devserver, the static server and Chromium,
// started before the file's tests and stopped after; one page on a blank document with
// its page errors collected.
import { before, after } from "node:test";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

export function browserSuite() {
  const s = { server: null, files: null, context: null, page: null, pageErrors: [] };
  before(async () => {
    s.server = await startDevserver();
    s.files = await startStatic();
    s.context = await launch();
    s.page = await s.context.newPage();
    s.page.on("pageerror", (e) => s.pageErrors.push(String(e)));
    await s.page.goto(`${s.files.url}/tests/js/pages/blank.html`);
  });
  after(async () => {
    await s.context?.close();
    s.files?.stop();
    s.server?.stop();
  });
  return s;
}
