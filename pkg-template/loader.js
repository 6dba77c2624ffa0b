// Loading the WebAssembly module once, and the one error for using the SDK before.
import { setErrorClass } from "./chatwoot_inbox_sdk.js";
import { ChatwootError } from "./errors.js";

/** Whether the WebAssembly module is loaded (`init()` in browsers, at import in Node). */
export const runtime = { ready: false, loading: null };

export function notInitialized() {
  return new ChatwootError("not_initialized", "chatwoot-inbox-sdk is not initialised: call and await init() first");
}

/** Throws `not_initialized` unless the module is loaded. */
export function ready() {
  if (!runtime.ready) throw notInitialized();
}

/** The module is loaded: the SDK's errors are this package's ChatwootError. */
export function loaded() {
  setErrorClass(ChatwootError);
  runtime.ready = true;
}

/**
 * Runs `load` as the one init() in flight. A failure (the .wasm not found, a CSP without
 * 'wasm-unsafe-eval', …) rejects with a `not_initialized` ChatwootError carrying the
 * cause, and a later init() tries again.
 */
export function loadOnce(load) {
  if (!runtime.loading) {
    runtime.loading = load().then(loaded, (cause) => {
      runtime.loading = null;
      const e = new ChatwootError("not_initialized", `chatwoot-inbox-sdk could not load its WebAssembly module: ${cause?.message ?? cause}`);
      e.cause = cause;
      throw e;
    });
  }
  return runtime.loading;
}
