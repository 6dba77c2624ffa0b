// `ChatSession` (SPEC §4): the widget engine. Its rules live in the Rust machine; this
// class hands calls over, keeps the listeners, and caches the snapshot by version.
import { ChatwootError } from "./errors.js";
import { Driver, invalid, runtime, takeFiles } from "./driver.js";

const START = Symbol("start");

function memoryStorage() {
  const m = new Map();
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

/** `storage` as an object with getItem/setItem/removeItem (memory where the named one is missing). */
function storageOption(v) {
  const named = (name) => {
    try {
      // Reading `localStorage` throws in sandboxed frames: fall back to memory.
      const s = globalThis[name];
      return s && typeof s.getItem === "function" ? s : memoryStorage();
    } catch {
      return memoryStorage();
    }
  };
  if (v === undefined || v === null || v === "local") return named("localStorage");
  if (v === "session") return named("sessionStorage");
  if (v === "memory") return memoryStorage();
  if (v && typeof v === "object" && ["getItem", "setItem", "removeItem"].every((m) => typeof v[m] === "function")) return v;
  throw invalid('storage must be "local", "session", "memory" or { getItem, setItem, removeItem }');
}

export class ChatSession {
  #d;
  #listeners = [];
  #nextListener = 1;
  #snapshot = null;
  #snapshotVer = -1;
  #inbox = null;
  #closed = null;

  /** Use `await ChatSession.start({...})`. */
  constructor(token, driver) {
    if (token !== START) throw new TypeError("use ChatSession.start(options)");
    this.#d = driver;
    driver.io.event = (e) => this.#dispatch(e.type, e);
    driver.io.change = () => this.#dispatch("change");
  }

  /**
   * Opens (or resumes) the contact session and connects.
   * @param {import("./index.js").ChatSessionOptions} options
   * @returns {Promise<ChatSession>}
   */
  static async start(options) {
    if (!runtime.ready) {
      if (!runtime.loading) throw new ChatwootError("not_initialized", "chatwoot-inbox-sdk is not initialised: call and await init() first");
      // Started while init() is still loading: wait for it rather than fail.
      await runtime.loading;
    }
    if (!options || typeof options !== "object") throw invalid("ChatSession.start needs { baseUrl, inboxIdentifier }");
    const storage = storageOption(options.storage);
    if (options.fetch !== undefined && options.fetch !== null && typeof options.fetch !== "function") throw invalid("fetch must be a function");
    let WS = options.WebSocket ?? globalThis.WebSocket;
    if (options.WebSocket !== undefined && options.WebSocket !== null && typeof options.WebSocket !== "function") throw invalid("WebSocket must be a constructor");
    if (options.realtime !== false && typeof WS !== "function") {
      throw invalid('no WebSocket here: pass { WebSocket } (in Node, from the "ws" package) or { realtime: false }');
    }
    const { fetch, WebSocket, storage: _storage, ...data } = options;
    const driver = new Driver("session", data, { fetch: fetch ?? undefined, WebSocket: WS, storage });
    const session = new ChatSession(START, driver);
    try {
      await driver.async("start");
    } catch (e) {
      driver.dispose();
      throw e;
    }
    return session;
  }

  #dispatch(type, event) {
    for (const l of this.#listeners.slice()) {
      if (l.type !== type) continue;
      try {
        if (type === "change") l.fn();
        else l.fn(event);
      } catch (thrown) {
        // A throwing listener is reported on `error` and never breaks the SDK.
        if (type !== "error") {
          const detail = thrown instanceof Error ? thrown.message : String(thrown);
          const error = new ChatwootError("listener", `an event listener threw: ${detail}`);
          queueMicrotask(() => this.#dispatch("error", { type: "error", error }));
        }
      }
    }
  }

  /** The inbox's details. */
  get inbox() {
    return (this.#inbox ??= this.#d.sync("inbox"));
  }

  /** The contact session (changes after `identify()` and `reset()`). */
  get contact() {
    return this.#closed ? this.#closed.contact : this.#d.sync("contact");
  }

  /** `connecting`, `open`, `reconnecting`, `offline` or `closed`. */
  get state() {
    return this.#closed ? "closed" : this.#d.sync("state");
  }

  /** Listens to one event type; returns the function that stops listening. */
  on(type, listener) {
    if (typeof listener !== "function") throw new TypeError("listener must be a function");
    const id = this.addListener(type, listener);
    return () => this.removeListener(id);
  }

  /** Adds a listener for one event type (or "change"); returns an id for `removeListener`. */
  addListener(type, listener) {
    const id = this.#nextListener++;
    this.#listeners.push({ id, type: String(type), fn: listener });
    return id;
  }

  /** Removes a listener added with `addListener`. */
  removeListener(id) {
    this.#listeners = this.#listeners.filter((l) => l.id !== id);
  }

  /** Called after every change of `getSnapshot()`; returns the unsubscribe function. */
  subscribe(listener) {
    return this.on("change", listener);
  }

  /** A stable snapshot of everything a UI shows, a new object only when something changed. */
  getSnapshot() {
    if (this.#closed) return this.#closed.snapshot;
    if (this.#snapshotVer !== this.#d.ver || !this.#snapshot) {
      this.#snapshot = this.#d.sync("getSnapshot");
      this.#snapshotVer = this.#d.ver;
    }
    return this.#snapshot;
  }

  /** The current, ordered, de-duplicated messages of a conversation (reads its newest page on first use). */
  messages(conversationId) {
    return this.#d.sync("messages", [conversationId]);
  }

  /** Reads the next older page; resolves `false` when the start was reached. */
  loadOlder(conversationId) {
    return this.#d.async("loadOlder", [conversationId]);
  }

  /** The session's conversations, read from the server. */
  listConversations() {
    return this.#d.async("listConversations");
  }

  /** Starts a conversation (`conversation.created` fires). */
  startConversation(input) {
    return this.#d.async("startConversation", [input]);
  }

  /** Sends optimistically: returns the local message at once; `message.sent` or `message.failed` follows. */
  send(conversationId, input) {
    let data = input;
    let key = null;
    if (input && typeof input === "object") {
      const files = takeFiles(input.attachments);
      data = { content: input.content };
      if (files && files.length) {
        key = `f${this.#nextListener++}`;
        data.attachments = files.map((f) => ({ type: f.type, size: f.size }));
        data.files = key;
        this.#d.keepFiles(key, files);
      }
    }
    const sent = {};
    if (key) {
      // The upload's progress, as `message.progress` events (retries included).
      this.#d.uploads.set(key, ({ loaded, total }) => {
        if (sent.echoId) this.#dispatch("message.progress", { type: "message.progress", conversationId: sent.conversationId, echoId: sent.echoId, loaded, total });
      });
    }
    try {
      const message = this.#d.sync("send", [conversationId, data]);
      sent.echoId = message?.echoId;
      sent.conversationId = message?.conversationId ?? conversationId;
      return message;
    } catch (e) {
      if (key) this.#d.dropFiles(key);
      throw e;
    }
  }

  /** Sends a failed message again, unless the server already holds it. */
  retry(echoId) {
    return this.#d.async("retry", [echoId]);
  }

  /** The user is typing: `on` at most every 3 s, `off` after 5 s idle. */
  typing(conversationId) {
    this.#d.sync("typing", [conversationId]);
  }

  /** The user stopped typing: `off` now if it was on. */
  stopTyping(conversationId) {
    this.#d.sync("stopTyping", [conversationId]);
  }

  /** The user sees the conversation: `update_last_seen`, debounced. */
  markSeen(conversationId) {
    this.#d.sync("markSeen", [conversationId]);
  }

  /** Resolves the conversation. */
  resolve(conversationId) {
    return this.#d.async("resolve", [conversationId]);
  }

  /** Answers an interactive message (`input_select`, `form`, `cards`, CSAT). */
  submitReply(conversationId, messageId, submittedValues) {
    return this.#d.async("submitReply", [conversationId, messageId, submittedValues]);
  }

  /** Becomes the identified user and re-subscribes with the new token. */
  identify(user) {
    return this.#d.async("identify", [user]);
  }

  /** Forgets the stored session and continues as a new anonymous contact. */
  reset() {
    return this.#d.async("reset");
  }

  /** Closes the socket and stops every timer; the session cannot be used afterwards. */
  close() {
    if (this.#closed) return;
    this.#d.sync("close");
    // What a closed session still shows; then its memory goes back at once.
    this.#closed = { contact: this.contact, snapshot: this.getSnapshot() };
    void this.inbox;
    this.#d.retire();
  }
}
