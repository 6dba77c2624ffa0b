// The driver: carries out what the Rust machine decides. The machine holds every rule
// (requests, retries, timeouts, the realtime protocol, catch-up, optimistic sends);
// this file only performs I/O — fetch, WebSocket, timers, storage — and hands each
// outcome back. Every exchange is one JSON text each way; answer bodies go over as
// bytes. See the operation table in `src/machine/mod.rs`.
import { Machine } from "./chatwoot_inbox_sdk.js";
import { ChatwootError } from "./errors.js";

/** Whether the WebAssembly module is loaded (`init()` in browsers, at import in Node). */
export const runtime = { ready: false, loading: null, wasm: null };

/** What every driver holds right now (see `diagnostics()`). */
const live = { timers: 0, listeners: 0, sockets: 0, calls: 0, promises: 0, files: 0 };

/**
 * What the SDK holds right now across every client and session: pending timers, event
 * listeners it registered, open sockets, requests in flight, unsettled promises, kept
 * files, and the WebAssembly memory. A session that is closed holds none of them.
 */
export function diagnostics() {
  return { ...live, wasmMemoryBytes: runtime.wasm?.memory?.buffer?.byteLength ?? 0 };
}

function after(ms, fn) {
  live.timers++;
  const handle = { t: 0, done: false };
  // A delay past 2^31 - 1 ms would fire at once (a huge Retry-After, say): keep the longest.
  handle.t = setTimeout(() => {
    handle.done = true;
    live.timers--;
    fn();
  }, Math.min(ms, 2147483647));
  return handle;
}

function cancel(handle) {
  if (!handle || handle.done) return;
  handle.done = true;
  clearTimeout(handle.t);
  live.timers--;
}

export function notInitialized() {
  return new ChatwootError("not_initialized", "chatwoot-inbox-sdk is not initialised: call and await init() first");
}

/**
 * Runs `load` as the one init() in flight. A failure (the .wasm not found, a CSP without
 * 'wasm-unsafe-eval', …) rejects with a `not_initialized` ChatwootError carrying the
 * cause, and a later init() tries again.
 */
export function loadOnce(load) {
  if (!runtime.loading) {
    runtime.loading = load().then(
      (wasm) => {
        runtime.wasm = wasm;
        runtime.ready = true;
      },
      (cause) => {
        runtime.loading = null;
        const e = new ChatwootError("not_initialized", `chatwoot-inbox-sdk could not load its WebAssembly module: ${cause?.message ?? cause}`);
        e.cause = cause;
        throw e;
      },
    );
  }
  return runtime.loading;
}

export function invalid(message) {
  return new ChatwootError("invalid_argument", message);
}

/** The machine's error object as a ChatwootError. */
export function toError(e) {
  return new ChatwootError(e.code, e.message, e);
}

const now = () => Date.now();
const isBlob = (b) => typeof Blob !== "undefined" && b instanceof Blob;

/** Files of a send: the blobs, checked, and what the machine needs to know of them. */
export function takeFiles(list) {
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list) || !list.every(isBlob)) throw invalid("attachments must be an array of Blob or File");
  return list;
}

export class Driver {
  /**
   * @param {string} kind "inbox" | "session"
   * @param {object} options plain-data options for the machine
   * @param {{ fetch?: Function, WebSocket?: Function, storage?: object, event?: Function, change?: Function }} io
   */
  constructor(kind, options, io) {
    if (!runtime.ready) throw notInitialized();
    this.io = io;
    this.promises = new Map();
    this.calls = new Map();
    this.files = new Map();
    /** Upload progress callbacks of a session's sends, by files key. */
    this.uploads = new Map();
    this.events = [];
    this.settles = [];
    this.queued = false;
    this.changed = false;
    this.ver = 0;
    this.socket = null;
    this.timer = null;
    this.page = null;
    let text;
    try {
      text = JSON.stringify(options ?? null);
    } catch {
      throw invalid("options must be plain JSON data");
    }
    try {
      this.m = new Machine(kind, text, Math.random() * 2 ** 52);
    } catch (e) {
      throw typeof e === "string" ? toError(JSON.parse(e)) : e;
    }
  }

  /** A method that returns at once; throws a ChatwootError for a refused call. */
  sync(method, args = []) {
    if (!this.m) throw this.gone();
    const r = this.step(() => this.m.call(method, json(args), now()));
    if (r.throw) throw toError(r.throw);
    return r.v;
  }

  /** A method that returns a promise; `rec` keeps what the request needs (signal, files). */
  async(method, args = [], rec = {}) {
    if (!this.m) return Promise.reject(this.gone());
    let promise;
    try {
      const text = json(args);
      this.step(() => this.m.call(method, text, now()), (r) => {
        if (r.throw) promise = Promise.reject(toError(r.throw));
        else {
          promise = new Promise((resolve, reject) => this.promises.set(r.v, { ...rec, resolve, reject }));
          live.promises++;
        }
      });
    } catch (e) {
      promise = Promise.reject(e);
    }
    return promise;
  }

  input(event) {
    if (this.m) this.step(() => this.m.input(JSON.stringify(event), now()));
  }

  /**
   * Frees the machine's memory now rather than whenever the garbage collector gets to
   * it (a closed session): at once when no request is in flight, else when the last
   * one ends (its promise is still settled). Calls afterwards fail with `closed`.
   */
  retire() {
    this.retiring = true;
    if (this.calls.size === 0 && this.m) {
      this.m.free();
      this.m = null;
      // Nothing can answer them now: no promise of a closed session stays pending.
      for (const rec of this.promises.values()) rec.reject(this.gone());
      live.promises -= this.promises.size;
      this.promises.clear();
    }
  }

  gone() {
    return new ChatwootError("closed", "this ChatSession is closed");
  }

  /** Runs one machine step and carries out its operations. */
  step(run, first) {
    const r = JSON.parse(run());
    if (first) first(r);
    for (const op of r.ops) this.op(op);
    if (r.ver !== undefined && r.ver !== this.ver) {
      this.ver = r.ver;
      this.changed = true;
    }
    if (this.events.length || this.changed || this.settles.length) this.schedule();
    return r;
  }

  /** Listeners run after the current call has returned, in order. */
  schedule() {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      const events = this.events;
      this.events = [];
      for (const e of events) this.io.event?.(e);
      if (this.changed) {
        this.changed = false;
        this.io.change?.();
      }
      const settles = this.settles;
      this.settles = [];
      for (const settle of settles) settle();
    });
  }

  op(op) {
    switch (op.op) {
      case "fetch":
        return this.fetch(op);
      case "sleep": {
        const ctx = this.calls.get(op.id);
        if (ctx) {
          ctx.sleep = after(op.ms, () => {
            ctx.sleep = null;
            if (this.calls.get(op.id) === ctx) this.input({ wake: op.id });
          });
        }
        return;
      }
      case "end":
        return this.end(op.id);
      case "resolve":
      case "reject": {
        const rec = this.promises.get(op.p);
        if (!rec) return;
        this.promises.delete(op.p);
        live.promises--;
        // Settled after this step's events and change are dispatched: code after an
        // `await` sees the snapshot its listeners were told about.
        this.settles.push(op.op === "resolve" ? () => rec.resolve(op.v) : () => rec.reject(toError(op.error)));
        return;
      }
      case "event": {
        const e = op.e;
        if (e.error) e.error = toError(e.error);
        this.events.push(e);
        return;
      }
      case "open":
        return this.open(op);
      case "send":
        try {
          this.socket?.ws.send(op.text);
        } catch {
          // Not open: the machine resends what matters after the next welcome.
        }
        return;
      case "close":
        return this.closeSocket();
      case "timer":
        cancel(this.timer);
        this.timer = null;
        if (op.at !== null) {
          this.timer = after(Math.max(0, op.at - now()), () => {
            this.timer = null;
            this.input({ tick: 1 });
          });
        }
        return;
      case "watch":
        return this.watch(true);
      case "unwatch":
        return this.watch(false);
      case "load": {
        const storage = this.io.storage;
        Promise.resolve()
          .then(() => storage.getItem(op.key))
          .then(
            (value) => this.input({ loaded: op.id, value: typeof value === "string" ? value : null }),
            () => this.input({ loaded: op.id, value: null }),
          );
        return;
      }
      case "store":
        try {
          if (op.value === null) this.io.storage.removeItem(op.key);
          else this.io.storage.setItem(op.key, op.value);
        } catch {
          // Quota and the like: the session works, it is just not remembered.
        }
        return;
      case "forget":
        this.dropFiles(op.files);
        return;
    }
  }

  fetch(op) {
    let ctx = this.calls.get(op.id);
    const rec = op.p === undefined ? undefined : this.promises.get(op.p);
    if (!ctx) {
      ctx = { controller: null, timer: null, sleep: null, signal: null, onAbort: null };
      this.calls.set(op.id, ctx);
      live.calls++;
      const abort = (why) => {
        if (this.calls.get(op.id) !== ctx) return;
        ctx.controller?.abort();
        this.input({ abort: op.id, why });
      };
      ctx.timer = after(op.timeout, () => {
        ctx.timer = null;
        abort("timeout");
      });
      const signal = rec?.signal;
      if (signal) {
        if (signal.aborted) {
          queueMicrotask(() => abort("aborted"));
          return;
        }
        ctx.signal = signal;
        ctx.onAbort = () => abort("aborted");
        signal.addEventListener("abort", ctx.onAbort);
        live.listeners++;
      }
    }
    const controller = new AbortController();
    ctx.controller = controller;
    const headers = { Accept: "application/json" };
    if (op.token !== undefined) headers.api_access_token = op.token;
    // Chatwoot's CORS allows no credentials: never send cookies.
    const init = { method: op.method, headers, credentials: "omit", mode: "cors", signal: controller.signal };
    if (op.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = op.body;
    } else if (op.form) {
      const form = new FormData();
      for (const [k, v] of op.form) form.append(k, v);
      const blobs = op.files !== undefined ? this.files.get(op.files) : rec?.files;
      // Each part keeps its own Content-Type: it decides the server's file_type.
      for (const b of blobs ?? []) form.append("attachments[]", b, b.name ?? "attachment");
      init.body = form;
    }
    const fetchFn = this.io.fetch ?? globalThis.fetch;
    const mine = () => this.m && this.calls.get(op.id) === ctx && ctx.controller === controller;
    // fetch reports no upload progress: an upload somebody watches goes through
    // XMLHttpRequest where there is one (and no fetch was injected).
    const onProgress = init.body instanceof FormData ? (rec?.onProgress ?? this.uploads.get(op.files)) : undefined;
    const useXhr = onProgress && this.io.fetch === undefined && typeof XMLHttpRequest === "function";
    Promise.resolve()
      .then(() => (useXhr ? xhrFetch(op.url, init, onProgress) : fetchFn(op.url, init)))
      .then(async (res) => [res, new Uint8Array(await res.arrayBuffer())])
      .then(
        // Only the network is caught: a fault in what follows must not pass for one.
        ([res, bytes]) => {
          if (mine()) this.step(() => this.m.response(op.id, res.status, res.headers.get("Retry-After") ?? undefined, bytes, now()));
        },
        () => {
          if (mine() && !controller.signal.aborted) this.input({ failed: op.id });
        },
      );
  }

  end(id) {
    const ctx = this.calls.get(id);
    if (!ctx) return;
    this.calls.delete(id);
    live.calls--;
    // The answer being processed still needs the machine: free it after this step.
    if (this.retiring && this.calls.size === 0) queueMicrotask(() => this.retire());
    cancel(ctx.timer);
    cancel(ctx.sleep);
    if (ctx.signal) {
      ctx.signal.removeEventListener("abort", ctx.onAbort);
      live.listeners--;
    }
  }

  open(op) {
    this.closeSocket();
    let ws;
    try {
      ws = new this.io.WebSocket(op.url, ["actioncable-v1-json", "actioncable-unsupported"]);
    } catch (thrown) {
      // Refused before connecting (a CSP without the server in connect-src, a
      // WebSocket that rejects the URL): said on `error`, then retried like a failed
      // connection.
      const detail = thrown instanceof Error ? thrown.message : String(thrown);
      this.events.push({ type: "error", error: new ChatwootError("network", `the WebSocket could not be opened: ${detail}`) });
      this.schedule();
      queueMicrotask(() => this.input({ socket: op.socket, type: "close" }));
      return;
    }
    const socket = { ws, gen: op.socket };
    this.socket = socket;
    live.sockets++;
    const current = () => this.socket === socket;
    ws.onopen = () => current() && this.input({ socket: op.socket, type: "open" });
    ws.onmessage = (ev) => {
      // ActionCable only sends text; anything else is not ours to read.
      if (current() && this.m && typeof ev.data === "string") this.step(() => this.m.frame(op.socket, ev.data, now()));
    };
    ws.onclose = ws.onerror = () => current() && this.input({ socket: op.socket, type: "close" });
  }

  closeSocket() {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    live.sockets--;
    const ws = socket.ws;
    ws.onopen = ws.onmessage = ws.onclose = null;
    // Node's `ws` throws on an `error` nobody listens to (closing while connecting).
    ws.onerror = () => {};
    try {
      ws.close();
    } catch {
      // Already closed.
    }
  }

  watch(on) {
    const g = globalThis;
    const doc = g.document;
    if (on && !this.page) {
      this.page = (ev) => {
        if (ev.type === "online" || ev.type === "offline") this.input({ page: ev.type });
        else if (doc?.visibilityState === "visible") this.input({ page: "visible" });
      };
      g.addEventListener?.("online", this.page);
      g.addEventListener?.("offline", this.page);
      doc?.addEventListener?.("visibilitychange", this.page);
      live.listeners++;
    } else if (!on && this.page) {
      g.removeEventListener?.("online", this.page);
      g.removeEventListener?.("offline", this.page);
      doc?.removeEventListener?.("visibilitychange", this.page);
      this.page = null;
      live.listeners--;
    }
  }

  /** Stops the socket, the timer and the page listeners (a session that failed to start). */
  dispose() {
    cancel(this.timer);
    this.timer = null;
    this.closeSocket();
    this.watch(false);
    for (const key of [...this.files.keys()]) this.dropFiles(key);
  }

  keepFiles(key, files) {
    this.files.set(key, files);
    live.files++;
  }

  dropFiles(key) {
    if (this.files.delete(key)) live.files--;
    this.uploads.delete(key);
  }
}

/**
 * `fetch` over XMLHttpRequest, for uploads: the same request (no credentials, the same
 * headers and abort signal) with `onProgress({ loaded, total })` as the bytes go out.
 * Resolves to the little of a Response the driver reads.
 */
function exposed(x, name) {
  return x.getAllResponseHeaders().toLowerCase().split("\r\n").some((line) => line.startsWith(`${name.toLowerCase()}:`));
}

function xhrFetch(url, init, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(init.method, url);
    x.responseType = "arraybuffer";
    x.withCredentials = false;
    for (const [k, v] of Object.entries(init.headers)) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) => {
      try {
        onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : null });
      } catch (error) {
        // A throwing callback is the page's fault, not the upload's: report it apart.
        queueMicrotask(() => {
          throw error;
        });
      }
    };
    x.onload = () =>
      resolve({
        status: x.status,
        // Only headers the server exposed: asking for another logs a console error.
        headers: { get: (name) => (exposed(x, name) ? x.getResponseHeader(name) : null) },
        arrayBuffer: () => Promise.resolve(x.response ?? new ArrayBuffer(0)),
      });
    x.onerror = x.onabort = x.ontimeout = () => reject(new TypeError("network error"));
    const signal = init.signal;
    if (signal.aborted) return reject(new TypeError("aborted"));
    signal.addEventListener("abort", () => x.abort(), { once: true });
    x.send(init.body);
  });
}

function json(value) {
  try {
    return JSON.stringify(value);
  } catch {
    throw invalid("arguments must be plain JSON data");
  }
}
