// The classic-script build: `<script src=".../chatwoot-inbox.js">` defines
// `window.ChatwootInbox` with the package's exports. One file, no bundler, no MIME
// setup: the WebAssembly module is inside it (deflated, base64), so `init()` makes no
// request; it inflates it with the platform's DecompressionStream.
import initWasm, { version as wasmVersion } from "./chatwoot_inbox_sdk.js";
import { loadOnce, ready } from "./loader.js";
import { ChatwootError, isChatwootError } from "./errors.js";
import { AccountClient, ChatSession, InboxClient, diagnostics } from "./api.js";
import { isOpenAt, nextOpening } from "./hours.js";
import packed from "./wasm.deflate.b64";

function init() {
  return loadOnce(async () => {
    const deflated = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const stream = new Blob([deflated]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    const bytes = await new Response(stream).arrayBuffer();
    return initWasm({ module_or_path: bytes });
  });
}

function version() {
  ready();
  return wasmVersion();
}

globalThis.ChatwootInbox = Object.freeze({
  init,
  version,
  diagnostics,
  InboxClient,
  AccountClient,
  ChatSession,
  ChatwootError,
  isChatwootError,
  isOpenAt,
  nextOpening,
});
