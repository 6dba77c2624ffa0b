// Node ≥ 20 entry: the module is loaded synchronously at import, so no init() is needed.
import { readFileSync } from "node:fs";
import { ChatSession as WasmChatSession, initSync } from "./chatwoot_inbox_sdk.js";
import { withSessionHelpers } from "./session.js";

initSync({ module: readFileSync(new URL("./chatwoot_inbox_sdk_bg.wasm", import.meta.url)) });

export { InboxClient, version } from "./chatwoot_inbox_sdk.js";

/** The stateful widget engine (pass `WebSocket` from the "ws" package for realtime). */
export const ChatSession = withSessionHelpers(WasmChatSession);
export { ChatwootError, isChatwootError } from "./errors.js";

/** Already initialised in Node; resolves at once (kept for code shared with browsers). */
export function init() {
  return Promise.resolve();
}
