// The public types of chatwoot-inbox-sdk. This file is the contract: it is compiled
// with `tsc --strict` against a consumer of every method and compared with a committed
// copy, so an API change shows in review.
import type { ChatwootError } from "./errors.js";
export { ChatwootError, isChatwootError } from "./errors.js";
export type { ChatwootErrorCode } from "./errors.js";

/** Options of `new InboxClient(...)`. */
export interface InboxClientOptions {
  /** The server's origin, such as "https://chat.example.com" (no path, no trailing slash). */
  baseUrl: string;
  /** The API inbox's public identifier. */
  inboxIdentifier: string;
  /** Deadline of one call in ms, retries included: 1 to 2147483647 (default 30000). */
  timeoutMs?: number;
  /** Retries of idempotent calls after network errors, 5xx and 429 (default 2). */
  retries?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}
/** Per-call options: an abort signal, and a deadline in ms (1 to 2147483647) for this call. */
export interface CallOptions { signal?: AbortSignal; timeoutMs?: number }
/** How much of an upload has gone out; `total` is null when the browser cannot tell. */
export interface UploadProgress { loaded: number; total: number | null }
/** Options of `createMessage`. */
export interface CreateMessageOptions extends CallOptions {
  /**
   * Called as the attachments' bytes go out (in browsers, where the upload then goes
   * through XMLHttpRequest: fetch reports no upload progress). Not called when a
   * `fetch` was injected.
   */
  onUploadProgress?: (progress: UploadProgress) => void;
}
/** What you may tell about a contact. */
export interface ContactInput {
  sourceId?: string; identifier?: string; identifierHash?: string; name?: string;
  email?: string; phoneNumber?: string; avatarUrl?: string;
  customAttributes?: Record<string, unknown>;
}
/** Identity proof for `getContact`: the hash is computed on your server. */
export interface Identity { identifier?: string; identifierHash?: string }
/** Options of a new conversation. */
export interface ConversationInput { customAttributes?: Record<string, unknown> }
/** A message to send. */
export interface MessageInput { content?: string; echoId?: string; attachments?: Blob[] }
/** One answer to an `input_select`, `form` or `cards` message. */
export interface SubmittedValue { name?: string; title?: string; value: unknown }
/** Who wrote a message: the contact (`incoming`), an agent or bot (`outgoing`), the system (`activity`), or a template such as the CSAT survey. */
export type MessageType = "incoming" | "outgoing" | "activity" | "template" | "unknown";
/** How a message is shown: plain `text`, or an interactive kind answered with `submitReply` / `updateMessage`. */
export type ContentType = "text" | "input_text" | "input_textarea" | "input_email" | "input_select" | "cards" | "form" | "article" | "incoming_email" | "input_csat" | "integrations" | "sticker" | "voice_call" | "unknown";
/** `sending` (and `failed` for a send) are a ChatSession's own messages in flight. */
export type MessageStatus = "sending" | "sent" | "delivered" | "read" | "failed" | "queued" | "unknown";
/** What an attachment is, as the server classifies it from the file's content type. */
export type FileType = "image" | "audio" | "video" | "file" | "location" | "fallback" | "share" | "story_mention" | "contact" | "ig_reel" | "ig_post" | "ig_story" | "embed" | "unknown";
/** Who sent a message: the contact, a human agent (`user`), a bot, or Captain. */
export type SenderKind = "contact" | "user" | "agent_bot" | "captain_assistant" | "unknown";
/** A conversation's state: `resolved` ends it; a new contact message reopens it. */
export type ConversationStatus = "open" | "resolved" | "pending" | "snoozed" | "unknown";
/** One day's opening hours; Sunday is 0; hours are null on closed days. */
export interface WorkingHours {
  dayOfWeek: number; closedAllDay: boolean; openAllDay: boolean;
  openHour: number | null; openMinutes: number | null; closeHour: number | null; closeMinutes: number | null;
}
/** The inbox: its name, timezone, working hours (see `isOpenAt` / `nextOpening`) and features. */
export interface Inbox {
  identifier: string; name: string; timezone: string | null; identityValidationEnabled: boolean;
  workingHoursEnabled: boolean; workingHours: WorkingHours[]; csatSurveyEnabled: boolean; greetingEnabled: boolean;
}
/** One contact's session in one inbox: store `sourceId` and `pubsubToken`. */
export interface ContactSession {
  sourceId: string; pubsubToken: string; id: number; name: string | null; email: string | null; phoneNumber: string | null;
}
/** A contact as the server stores it (the answer of `updateContact`). */
export interface Contact {
  id: number; name: string | null; email: string | null; phoneNumber: string | null; identifier: string | null;
  contactType: string | null; customAttributes: Record<string, unknown>; sourceId: string | null;
  createdAt: number | null; lastActivityAt: number | null;
}
/** The author of a message. */
export interface Sender {
  id: number; kind: SenderKind; name: string | null; availableName: string | null;
  avatarUrl: string | null; availabilityStatus: string | null;
}
/** A file on a message; `dataUrl` downloads it, `thumbUrl` is a preview for images. */
export interface Attachment {
  id: number; fileType: FileType; dataUrl: string | null; thumbUrl: string | null; extension: string | null;
  fileSize: number | null; width: number | null; height: number | null;
}
/** Timestamps are integer ms since the epoch; null means never. */
export interface Message {
  id: number; content: string | null; messageType: MessageType; contentType: ContentType;
  /** The server's content attributes as they were (items, submitted_values, …). */
  contentAttributes: Record<string, unknown>;
  deleted: boolean; createdAt: number | null; conversationId: number | null; status: MessageStatus | null;
  echoId: string | null; attachments: Attachment[]; sender: Sender | null;
}
/** A conversation of the contact; timestamps are ms since the epoch, null means never. */
export interface Conversation {
  id: number; uuid: string | null; inboxId: number | null; status: ConversationStatus;
  contactLastSeenAt: number | null; agentLastSeenAt: number | null; lastActivityAt: number | null;
  unreadCount: number | null; labels: string[]; customAttributes: Record<string, unknown>;
  messages: Message[]; contact: Contact | null;
}
/** The contact's answer to a satisfaction survey. */
export interface CsatResponse { rating: number | null; feedbackMessage: string | null; createdAt: number | null }
/** A conversation's satisfaction survey, and its answer once given. */
export interface CsatSurvey {
  id: number; csatSurveyResponse: CsatResponse | null; displayType: string | null; content: string | null;
  inboxName: string | null; inboxAvatarUrl: string | null; locale: string | null; createdAt: number | null;
}
/** `chat.state`. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "offline" | "closed";
/** An agent's availability. */
export type AgentAvailability = "online" | "busy" | "offline";
/** The signed-in user of the host site; `identifierHash` is computed on your server. */
export interface ChatUser {
  identifier: string; identifierHash?: string; name?: string; email?: string;
  phoneNumber?: string; avatarUrl?: string; customAttributes?: Record<string, unknown>;
}
/** A storage like `localStorage`; methods may also return promises. */
export interface SessionStore {
  /** The value stored under `key`, or null. */
  getItem(key: string): string | null | Promise<string | null>;
  /** Stores `value` under `key`. */
  setItem(key: string, value: string): unknown;
  /** Forgets `key`. */
  removeItem(key: string): unknown;
}
/** Options of `ChatSession.start(...)`. */
export interface ChatSessionOptions {
  /** The server's origin, such as "https://chat.example.com". */
  baseUrl: string;
  /** The API inbox's public identifier. */
  inboxIdentifier: string;
  /** Start identified (verified with `identifierHash` when the inbox requires it). */
  user?: ChatUser;
  /** Where the session is remembered (default "local", or memory where there is none). */
  storage?: "local" | "session" | "memory" | SessionStore;
  /** Connect the realtime socket (default true). */
  realtime?: boolean;
  /**
   * `"shared"` (the default where `BroadcastChannel` and Web Locks exist): the tabs of
   * one visitor (same base URL, inbox, contact and storage) keep one socket between
   * them, held by an elected leader tab that relays it to the others. `"own"`: a socket
   * per session. A `"memory"` or `"session"` storage, Node and older browsers always
   * have their own.
   */
  tabs?: "shared" | "own";
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** A WebSocket constructor (in Node: `WebSocket` from the "ws" package). */
  WebSocket?: new (url: string, protocols?: string | string[]) => object;
  /** Deadline of one request in ms: 1 to 2147483647 (default 30000). */
  timeoutMs?: number;
  /** Retries of idempotent requests (default 2). */
  retries?: number;
}
/** What `chat.send` takes besides a plain string. */
export interface SendInput { content?: string; attachments?: Blob[] }
/** Everything a UI shows; a new object only when something changed. */
export interface ChatSnapshot {
  state: ConnectionState; contact: ContactSession; conversations: Conversation[];
  /** By conversation id: ordered, de-duplicated, sends in flight last. */
  messages: Record<string, Message[]>;
  /**
   * By conversation id: whether its newest page has been read (`loaded`), and whether
   * the beginning of the conversation is known (`atStart`: `loadOlder` would resolve false).
   */
  history: Record<string, { loaded: boolean; atStart: boolean }>;
  /** By conversation id: the agent typing there. */
  typing: Record<string, Sender | null>;
  agents: Record<string, AgentAvailability>;
}
/** Every event of `chat.on(type, listener)`, by type. */
export interface ChatEventMap {
  state: { type: "state"; state: ConnectionState; attempt?: number; retryInMs?: number };
  "message.created": { type: "message.created"; conversationId: number; message: Message };
  "message.updated": { type: "message.updated"; conversationId: number; message: Message };
  "message.pending": { type: "message.pending"; conversationId: number; echoId: string; message: Message };
  "message.sent": { type: "message.sent"; conversationId: number; echoId: string; message: Message };
  "message.failed": { type: "message.failed"; conversationId: number; echoId: string; message: Message; error: ChatwootError };
  /** The send could not reach the server (offline, a network error, a timeout): it waits in the outbox, kept in the session's storage, and goes out by itself, oldest first, when the connection returns or on the next start. */
  "message.queued": { type: "message.queued"; conversationId: number; echoId: string; message: Message };
  /** A send with attachments is uploading (browsers; each retry starts again from 0). */
  "message.progress": { type: "message.progress"; conversationId: number; echoId: string; loaded: number; total: number | null };
  "conversation.created": { type: "conversation.created"; conversation: Conversation };
  "conversation.updated": { type: "conversation.updated"; conversation: Conversation };
  "conversation.status_changed": { type: "conversation.status_changed"; conversation: Conversation };
  typing: { type: "typing"; conversationId: number; typing: boolean; user: Sender | null };
  presence: { type: "presence"; agents: Record<string, AgentAvailability> };
  synced: { type: "synced"; conversationId: number; recovered: number };
  error: { type: "error"; error: ChatwootError };
}
/** Any session event. */
export type ChatEvent = ChatEventMap[keyof ChatEventMap];

/** Options of `new AccountClient(...)`. */
export interface AccountClientOptions {
  /** The server's origin, such as "https://chat.example.com" (no path, no trailing slash). */
  baseUrl: string;
  /** The numeric account id (a string of digits works too). */
  accountId: number | string;
  /** A user's API access token (profile page). Secret: never ship it in a public page. */
  apiAccessToken: string;
  /** Deadline of one call in ms, retries included: 1 to 2147483647 (default 30000). */
  timeoutMs?: number;
  /** Retries of idempotent calls after network errors, 5xx and 429 (default 2). */
  retries?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}
/** The body of `AccountClient.createConversation` (`POST /api/v1/accounts/{id}/conversations`); ids as numbers or digit strings. */
export interface AccountConversationInput {
  inboxId: number | string;
  sourceId?: string;
  contactId?: number | string;
  status?: "open" | "resolved" | "pending" | "snoozed";
  assigneeId?: number | string;
  teamId?: number | string;
  customAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
}
/** The contact of an agent-side conversation (`meta.sender`). */
export interface AccountContact {
  id: number; name: string | null; email: string | null; phoneNumber: string | null; identifier: string | null;
  avatarUrl: string | null; availabilityStatus: string | null; blocked: boolean;
  customAttributes: Record<string, unknown>; additionalAttributes: Record<string, unknown>;
  lastActivityAt: number | null; createdAt: number | null;
}
/** An assigned agent or bot (`meta.assignee`); the server's credential fields are never passed on. */
export interface Agent {
  id: number; name: string | null; availableName: string | null; displayName: string | null; email: string | null;
  role: string | null; availabilityStatus: string | null; avatarUrl: string | null; kind: string | null;
}
/** A team a conversation is assigned to. */
export interface Team { id: number; name: string | null }
/** Who a conversation is with and who handles it (application API). */
export interface ConversationMeta {
  sender: AccountContact | null; assignee: Agent | null; team: Team | null; channel: string | null; hmacVerified: boolean;
}
/** A conversation as the application API shows it to an agent. Timestamps are ms; null means never. */
export interface AccountConversation {
  id: number; uuid: string | null; accountId: number | null; inboxId: number | null; status: ConversationStatus;
  priority: string | null; meta: ConversationMeta | null; messages: Message[]; lastNonActivityMessage: Message | null;
  labels: string[]; muted: boolean; canReply: boolean; unreadCount: number | null;
  customAttributes: Record<string, unknown>; additionalAttributes: Record<string, unknown>;
  snoozedUntil: number | null; contactLastSeenAt: number | null; agentLastSeenAt: number | null;
  assigneeLastSeenAt: number | null; firstReplyCreatedAt: number | null; waitingSince: number | null;
  lastActivityAt: number | null; timestamp: number | null; createdAt: number | null; updatedAt: number | null;
  slaPolicyId: number | null; appliedSla: Record<string, unknown>; slaEvents: Record<string, unknown>[];
}

/**
 * Loads the WebAssembly module. Idempotent; in Node it resolves at once (the module is
 * loaded at import). A failure rejects with a `not_initialized` ChatwootError whose
 * `cause` says why, and a later call tries again.
 * @param input where to load the `.wasm` from (default: next to this file)
 */
export function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** The package version. */
export function version(): string;

/**
 * Whether the inbox is within its working hours at `date` (default now), read in the
 * inbox's timezone. An inbox without working hours enabled is always open.
 *
 * @example
 * if (!isOpenAt(chat.inbox)) showAwayNote(nextOpening(chat.inbox));
 */
export function isOpenAt(inbox: Inbox, date?: Date | number): boolean;

/**
 * When the inbox next opens, in epoch ms: `from` itself (default now) when it is open,
 * `null` when no day of the week is open.
 */
export function nextOpening(inbox: Inbox, from?: Date | number): number | null;

/** What the SDK holds right now (see `diagnostics()`). */
export interface Diagnostics {
  /** Pending timers (request deadlines, retry waits, a session's one timer). */
  timers: number;
  /** Event listeners it registered (abort signals, online/offline/visibility). */
  listeners: number;
  /** Open realtime sockets. */
  sockets: number;
  /** Requests in flight or waiting to be retried. */
  calls: number;
  /** Promises it returned that are not settled yet. */
  promises: number;
  /** Sends whose files it still keeps (for `retry`). */
  files: number;
  /** Shared-tab groups its sessions take part in (a `BroadcastChannel` and a Web Lock each). */
  channels: number;
  /** Size of the WebAssembly memory in bytes. */
  wasmMemoryBytes: number;
}

/** What the SDK holds right now across every client and session; a closed session holds none of it. */
export function diagnostics(): Diagnostics;

/**
 * A client of one inbox's public API: one method per endpoint, stateless. Every method
 * resolves to plain objects and rejects with a `ChatwootError`.
 *
 * @example
 * const api = new InboxClient({ baseUrl: "https://chat.example.com", inboxIdentifier: "abc" });
 * const contact = await api.createContact({ name: "Ana" });
 */
export class InboxClient {
  /** Throws a `ChatwootError` (`invalid_argument`) for a bad option, `not_initialized` before `init()`. */
  constructor(options: InboxClientOptions);
  /** The inbox's details and working hours. */
  getInbox(opts?: CallOptions): Promise<Inbox>;
  /** Creates (or, with an existing `sourceId`, resumes) a contact session. Never retried. */
  createContact(input?: ContactInput, opts?: CallOptions): Promise<ContactSession>;
  /** The contact session; with `identity` it also verifies it (HMAC). */
  getContact(sourceId: string, identity?: Identity, opts?: CallOptions): Promise<ContactSession>;
  /** Updates the contact; blank values are ignored, custom attributes merged. */
  updateContact(sourceId: string, input: ContactInput, opts?: CallOptions): Promise<Contact>;
  /** The session's conversations, each with all its messages. */
  listConversations(sourceId: string, opts?: CallOptions): Promise<Conversation[]>;
  /** Starts a conversation (with lock-to-single on, resolves to the last one). */
  createConversation(sourceId: string, input?: ConversationInput, opts?: CallOptions): Promise<Conversation>;
  /** One conversation with all its messages. */
  getConversation(sourceId: string, conversationId: number, opts?: CallOptions): Promise<Conversation>;
  /** Resolves the conversation (a no-op when it already is). */
  resolveConversation(sourceId: string, conversationId: number, opts?: CallOptions): Promise<Conversation>;
  /** Tells agents the contact is typing (`"on"`) or stopped (`"off"`). */
  setTyping(sourceId: string, conversationId: number, status: "on" | "off", opts?: CallOptions): Promise<void>;
  /** Marks the conversation seen by the contact (agents' messages become read). */
  updateLastSeen(sourceId: string, conversationId: number, opts?: CallOptions): Promise<void>;
  /** 20 messages, ascending: the newest, or those before `before`; `[]` at the start. */
  listMessages(sourceId: string, conversationId: number, page?: { before?: number }, opts?: CallOptions): Promise<Message[]>;
  /** Sends a message as the contact, with optional files (multipart). Never retried. */
  createMessage(sourceId: string, conversationId: number, input: MessageInput, opts?: CreateMessageOptions): Promise<Message>;
  /** Answers an interactive message (`input_select`, `form`, `cards`, `input_csat`). */
  updateMessage(
    sourceId: string,
    conversationId: number,
    messageId: number,
    input: { submittedValues: SubmittedValue[] | { csatSurveyResponse: { rating: number; feedbackMessage?: string } } },
    opts?: CallOptions,
  ): Promise<Message>;
  /** The CSAT survey of a resolved conversation (by its `uuid`). */
  getCsatSurvey(conversationUuid: string, opts?: CallOptions): Promise<CsatSurvey>;
  /** Answers the CSAT survey (rating 1–5). */
  submitCsatSurvey(conversationUuid: string, input: { rating: number; feedbackMessage?: string }, opts?: CallOptions): Promise<CsatSurvey>;
}

/**
 * The stateful widget engine: one contact session on one inbox, kept in sync in real
 * time, with optimistic sends. Create it with `await ChatSession.start({...})`.
 */
export class ChatSession {
  private constructor(token: never, driver: never);
  /** Opens (or resumes) the contact session and connects. Rejects with a `ChatwootError`. */
  static start(options: ChatSessionOptions): Promise<ChatSession>;
  /** The inbox's details. */
  readonly inbox: Inbox;
  /** The contact session (changes after `identify()` and `reset()`). */
  readonly contact: ContactSession;
  /** The connection state. */
  readonly state: ConnectionState;
  /**
   * Shared tabs: `"leader"` (this tab holds the visitor's socket), `"follower"` (the
   * leader's socket, relayed), or `"own"` (a socket of its own: `tabs: "own"`, or no
   * shared tabs here).
   */
  readonly tab: "leader" | "follower" | "own";
  /** Listens to one event type; returns the function that stops listening. */
  on<K extends keyof ChatEventMap>(type: K, listener: (event: ChatEventMap[K]) => void): () => void;
  /** Adds a listener for one event type (or `"change"`); returns an id for `removeListener`. */
  addListener(type: keyof ChatEventMap | "change", listener: (event: ChatEvent) => void): number;
  /** Removes a listener added with `addListener`. */
  removeListener(id: number): void;
  /** Called after every change of `getSnapshot()`; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Everything a UI shows; the same object until something changed (for `useSyncExternalStore`). */
  getSnapshot(): ChatSnapshot;
  /** The current, ordered, de-duplicated messages of a conversation; reads its newest page on first use (then `synced` fires). */
  messages(conversationId: number): Message[];
  /** Reads the next older page: `true` when messages were added, `false` at the start. */
  loadOlder(conversationId: number): Promise<boolean>;
  /** The session's conversations, read from the server (their messages are in `messages()`). */
  listConversations(): Promise<Conversation[]>;
  /** Starts a conversation (`conversation.created` fires). */
  startConversation(input?: ConversationInput): Promise<Conversation>;
  /** Sends optimistically: the local message (`status: "sending"`, `echoId`) at once; `message.sent`, `message.queued` (the server could not be reached: it goes out by itself later) or `message.failed` follows. While older messages wait in the outbox a new one queues behind them. Throws `invalid_argument` for an empty or too long message. */
  send(conversationId: number, input: string | SendInput): Message;
  /** Sends a failed message again, unless the server turns out to hold it already. */
  retry(echoId: string): Promise<void>;
  /** Drops a queued or failed message (from the view and the outbox): `true` if there was one with that `echoId`. */
  discard(echoId: string): boolean;
  /** The user is typing: `on` at most every 3 s, `off` after 5 s idle. */
  typing(conversationId: number): void;
  /** The user stopped typing (left the field): `off` now if it was on. */
  stopTyping(conversationId: number): void;
  /** The user sees the conversation: `update_last_seen`, debounced. */
  markSeen(conversationId: number): void;
  /** Resolves the conversation. */
  resolve(conversationId: number): Promise<Conversation>;
  /** Answers an interactive message with `[{ title, value }]`, or a CSAT message with `{ csatSurveyResponse }`. */
  submitReply(
    conversationId: number,
    messageId: number,
    submittedValues: SubmittedValue[] | { csatSurveyResponse: { rating: number; feedbackMessage?: string } },
  ): Promise<Message>;
  /** Becomes the identified user (the hash is computed on your server) and re-subscribes. */
  identify(user: ChatUser): Promise<ContactSession>;
  /** Forgets the stored session, closes the socket, continues as a new anonymous contact. */
  reset(): Promise<ContactSession>;
  /** Closes the socket and stops every timer; the session cannot be used afterwards. */
  close(): void;
}

/**
 * A client of Chatwoot's application API acting as an agent: **trusted contexts only**
 * (a server, an agent tool). It needs a user's `api_access_token`, which must never be
 * shipped in a public page. Errors: `unauthorized` (401), `forbidden` (403),
 * `not_found` (404), and the rest of the `ChatwootError` codes.
 *
 * @example
 * const acct = new AccountClient({ baseUrl: "https://chat.example.com", accountId: 1, apiAccessToken: process.env.CHATWOOT_TOKEN! });
 * const conversations = await acct.listContactConversations(42);
 */
export class AccountClient {
  constructor(options: AccountClientOptions);
  /** The contact's conversations in every inbox (`GET …/contacts/{id}/conversations`; both list shapes are read). */
  listContactConversations(contactId: number | string, opts?: CallOptions): Promise<AccountConversation[]>;
  /** One conversation (`GET …/conversations/{id}`); its `messages` hold what the server sends (the last one). */
  getConversation(conversationId: number | string, opts?: CallOptions): Promise<AccountConversation>;
  /** Creates a conversation (`POST …/conversations`). Never retried blindly. */
  createConversation(input: AccountConversationInput, opts?: CallOptions): Promise<AccountConversation>;
}
