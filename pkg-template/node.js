// Node ≥ 20 entry: the module is loaded synchronously at import, so no init() is needed.
import { readFileSync } from "node:fs";
import { initSync, version } from "./chatwoot_inbox_sdk.js";
import { loaded, runtime } from "./loader.js";

initSync({ module: readFileSync(new URL("./chatwoot_inbox_sdk_bg.wasm", import.meta.url)) });
loaded();
runtime.loading = Promise.resolve();

export { ChatwootError, isChatwootError } from "./errors.js";
export { AccountClient, ChatSession, InboxClient, diagnostics } from "./api.js";
export { isOpenAt, nextOpening } from "./hours.js";
export { version };

/** Already initialised in Node; resolves at once (kept for code shared with browsers). */
export function init() {
  return Promise.resolve();
}
