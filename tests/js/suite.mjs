// The usual setup of a browser test file: a devserver, the static server and Chromium,
// started before the file's tests and stopped after.
import { before, after } from "node:test";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

/**
 * Starts the three before the file's tests and hands them to `take` (which may return a
 * promise, awaited in the same hook); stops them after.
 */
export function useServers(take) {
  const s = { server: null, files: null, context: null };
  before(async () => {
    s.server = await startDevserver();
    s.files = await startStatic();
    s.context = await launch();
    await take(s);
  });
  after(async () => {
    await s.context?.close();
    s.files?.stop();
    s.server?.stop();
  });
}

/** The servers, and one page on a blank document with its page errors collected. */
export function browserSuite() {
  const s = { server: null, files: null, context: null, page: null, pageErrors: [] };
  useServers(async (started) => {
    Object.assign(s, started);
    s.page = await s.context.newPage();
    s.page.on("pageerror", (e) => s.pageErrors.push(String(e)));
    await s.page.goto(`${s.files.url}/tests/js/pages/blank.html`);
  });
  return s;
}
