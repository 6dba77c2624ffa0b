// ESM entry for browsers and bundlers: `await init()` once, then use the exports.
import initWasm, {
  ChatSession as WasmChatSession,
  InboxClient as WasmInboxClient,
  version as wasmVersion,
} from "./chatwoot_inbox_sdk.js";
import { ChatwootError } from "./errors.js";
import { withSessionHelpers } from "./session.js";

export { ChatwootError, isChatwootError } from "./errors.js";

let loading = null;
let ready = false;

/**
 * Loads the WebAssembly module (fetched next to this file unless `input` says otherwise).
 * Idempotent: every call returns the same promise.
 */
export function init(input) {
  if (!loading) {
    loading = initWasm(input === undefined ? undefined : { module_or_path: input }).then(() => {
      ready = true;
    });
  }
  return loading;
}

function assertReady() {
  if (!ready) {
    throw new ChatwootError("not_initialized", "chatwoot-inbox-sdk is not initialised: call and await init() first");
  }
}

export class InboxClient extends WasmInboxClient {
  constructor(options) {
    assertReady();
    super(options);
  }
}

export function version() {
  assertReady();
  return wasmVersion();
}

const rawStart = WasmChatSession.start;

/** The stateful widget engine; `await ChatSession.start({...})` after `init()`. */
export const ChatSession = withSessionHelpers(WasmChatSession);
ChatSession.start = function start(options) {
  // Started while init() is still loading: wait for it rather than fail.
  if (!ready) {
    if (!loading) {
      return Promise.reject(
        new ChatwootError("not_initialized", "chatwoot-inbox-sdk is not initialised: call and await init() first"),
      );
    }
    return loading.then(() => rawStart.call(WasmChatSession, options));
  }
  return rawStart.call(WasmChatSession, options);
};
