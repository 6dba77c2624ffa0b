// Node ≥ 20 entry: the module is loaded synchronously at import, so no init() is needed.
import { readFileSync } from "node:fs";
import { initSync, version } from "./chatwoot_inbox_sdk.js";
import { runtime } from "./driver.js";

runtime.wasm = initSync({ module: readFileSync(new URL("./chatwoot_inbox_sdk_bg.wasm", import.meta.url)) });
runtime.ready = true;
runtime.loading = Promise.resolve();

export { ChatwootError, isChatwootError } from "./errors.js";
export { AccountClient, InboxClient } from "./client.js";
export { ChatSession } from "./session.js";
export { isOpenAt, nextOpening } from "./hours.js";
export { version };
export { diagnostics } from "./driver.js";

/** Already initialised in Node; resolves at once (kept for code shared with browsers). */
export function init() {
  return Promise.resolve();
}
