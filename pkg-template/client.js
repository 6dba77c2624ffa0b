// `InboxClient`: one method per public endpoint (SPEC §3). Each method hands its
// plain-data arguments to the machine, which checks them and builds the request;
// the signal and the files stay here with the promise.
import { Driver, invalid, takeFiles } from "./driver.js";

function callOptions(opts) {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== "object") throw invalid("options must be an object");
  const signal = opts.signal;
  if (signal !== undefined && signal !== null && !(typeof AbortSignal !== "undefined" && signal instanceof AbortSignal)) {
    throw invalid("signal must be an AbortSignal");
  }
  const onProgress = opts.onUploadProgress;
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== "function") {
    throw invalid("onUploadProgress must be a function");
  }
  return { signal: signal ?? undefined, onProgress: onProgress ?? undefined };
}

function fetchOption(options) {
  const f = options?.fetch;
  if (f !== undefined && f !== null && typeof f !== "function") throw invalid("fetch must be a function");
  return f ?? undefined;
}

export class InboxClient {
  #d;
  /** @param {import("./index.js").InboxClientOptions} options */
  constructor(options) {
    const f = fetchOption(options);
    this.#d = new Driver("inbox", options, { fetch: f });
  }

  #call(method, args, opts, files) {
    let rec;
    try {
      rec = callOptions(opts);
      if (files) rec.files = files;
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#d.async(method, args, rec);
  }

  getInbox(opts) {
    return this.#call("getInbox", [opts], opts);
  }
  createContact(input, opts) {
    return this.#call("createContact", [input, opts], opts);
  }
  getContact(sourceId, identity, opts) {
    return this.#call("getContact", [sourceId, identity, opts], opts);
  }
  updateContact(sourceId, input, opts) {
    return this.#call("updateContact", [sourceId, input, opts], opts);
  }
  listConversations(sourceId, opts) {
    return this.#call("listConversations", [sourceId, opts], opts);
  }
  createConversation(sourceId, input, opts) {
    return this.#call("createConversation", [sourceId, input, opts], opts);
  }
  getConversation(sourceId, conversationId, opts) {
    return this.#call("getConversation", [sourceId, conversationId, opts], opts);
  }
  resolveConversation(sourceId, conversationId, opts) {
    return this.#call("resolveConversation", [sourceId, conversationId, opts], opts);
  }
  setTyping(sourceId, conversationId, status, opts) {
    return this.#call("setTyping", [sourceId, conversationId, status, opts], opts);
  }
  updateLastSeen(sourceId, conversationId, opts) {
    return this.#call("updateLastSeen", [sourceId, conversationId, opts], opts);
  }
  listMessages(sourceId, conversationId, page, opts) {
    return this.#call("listMessages", [sourceId, conversationId, page, opts], opts);
  }
  createMessage(sourceId, conversationId, input, opts) {
    let files;
    try {
      files = takeFiles(input?.attachments);
    } catch (e) {
      return Promise.reject(e);
    }
    const data = input && typeof input === "object" ? { ...input, attachments: files?.length ?? 0 } : input;
    return this.#call("createMessage", [sourceId, conversationId, data, opts], opts, files);
  }
  updateMessage(sourceId, conversationId, messageId, input, opts) {
    return this.#call("updateMessage", [sourceId, conversationId, messageId, input, opts], opts);
  }
  getCsatSurvey(conversationUuid, opts) {
    return this.#call("getCsatSurvey", [conversationUuid, opts], opts);
  }
  submitCsatSurvey(conversationUuid, input, opts) {
    return this.#call("submitCsatSurvey", [conversationUuid, input, opts], opts);
  }
}

/**
 * `AccountClient` (SPEC §5): three endpoints of Chatwoot's application API, acting as
 * an agent. **Trusted contexts only** (a server, an agent tool): it needs a user's
 * `api_access_token`, which must never be shipped in a public page.
 */
export class AccountClient {
  #d;
  /** @param {import("./index.js").AccountClientOptions} options */
  constructor(options) {
    const f = fetchOption(options);
    this.#d = new Driver("account", options, { fetch: f });
  }

  #call(method, args, opts) {
    let rec;
    try {
      rec = callOptions(opts);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#d.async(method, args, rec);
  }

  listContactConversations(contactId, opts) {
    return this.#call("listContactConversations", [contactId, opts], opts);
  }
  getConversation(conversationId, opts) {
    return this.#call("getConversation", [conversationId, opts], opts);
  }
  createConversation(input, opts) {
    return this.#call("createConversation", [input, opts], opts);
  }
}
