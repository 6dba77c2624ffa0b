// The classes are the WebAssembly module's; this file adds what JavaScript needs around
// them: the "call init() first" error, `on` / `subscribe`, and `diagnostics()` before
// init().
import * as wasm from "./chatwoot_inbox_sdk.js";
import { notInitialized, ready, runtime } from "./loader.js";

/** `InboxClient` (SPEC §3): one method per public endpoint. */
export class InboxClient extends wasm.InboxClient {
  constructor(options) {
    ready();
    super(options);
  }
}

/**
 * `AccountClient` (SPEC §5): three endpoints of Chatwoot's application API, acting as
 * an agent. **Trusted contexts only**: it needs a user's `api_access_token`, which must
 * never be shipped in a public page.
 */
export class AccountClient extends wasm.AccountClient {
  constructor(options) {
    ready();
    super(options);
  }
}

/** `ChatSession` (SPEC §4): the widget engine. */
export class ChatSession extends wasm.ChatSession {
  /** Use `await ChatSession.start({...})`. */
  constructor() {
    throw new TypeError("use ChatSession.start(options)");
  }

  /** Opens (or resumes) the contact session and connects. */
  static async start(options) {
    if (!runtime.ready) {
      if (!runtime.loading) throw notInitialized();
      // Started while init() is still loading: wait for it rather than fail.
      await runtime.loading;
    }
    const session = await wasm.ChatSession.start(options);
    return Object.setPrototypeOf(session, ChatSession.prototype);
  }

  /** Listens to one event type; returns the function that stops listening. */
  on(type, listener) {
    if (typeof listener !== "function") throw new TypeError("listener must be a function");
    const id = this.addListener(String(type), listener);
    return () => this.removeListener(id);
  }

  /** Called after every change of `getSnapshot()`; returns the unsubscribe function. */
  subscribe(listener) {
    return this.on("change", listener);
  }
}

/**
 * What the SDK holds right now across every client and session: pending timers, event
 * listeners it registered, open sockets, requests in flight, unsettled promises, kept
 * files, and the WebAssembly memory. A session that is closed holds none of them.
 */
export function diagnostics() {
  if (!runtime.ready) return { timers: 0, listeners: 0, sockets: 0, calls: 0, promises: 0, files: 0, wasmMemoryBytes: 0 };
  return wasm.diagnostics();
}
