// Launches Debian's Chromium through playwright-core with the flags this project needs.
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `options` go to launchPersistentContext too (e.g. `timezoneId`, `viewport`). */
export async function launch(extraArgs = [], options = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), "cw-chromium-"));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extraArgs],
    ...options,
  });
}
