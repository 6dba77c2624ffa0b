// ESM entry for browsers and bundlers: `await init()` once, then use the exports.
import initWasm, { InboxClient as WasmInboxClient, version as wasmVersion } from "./chatwoot_inbox_sdk.js";
import { ChatwootError } from "./errors.js";

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
