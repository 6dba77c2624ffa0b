// ESM entry for browsers and bundlers: `await init()` once, then use the exports.
import initWasm, { version as wasmVersion } from "./chatwoot_inbox_sdk.js";
import { loadOnce, ready } from "./loader.js";

export { ChatwootError, isChatwootError } from "./errors.js";
export { AccountClient, ChatSession, InboxClient, diagnostics } from "./api.js";
export { isOpenAt, nextOpening } from "./hours.js";

/**
 * Loads the WebAssembly module (fetched next to this file unless `input` says otherwise).
 * Idempotent: every call returns the same promise, until one fails (then a later call
 * tries again); it rejects with a `not_initialized` ChatwootError whose `cause` says why.
 */
export function init(input) {
  return loadOnce(() => initWasm(input === undefined ? undefined : { module_or_path: input }));
}

/** The package version. */
export function version() {
  ready();
  return wasmVersion();
}
