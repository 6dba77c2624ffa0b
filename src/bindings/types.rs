//! The TypeScript shapes of what crosses to JavaScript. They sit next to the bindings
//! so the generated `.d.ts` is the whole contract; the model tests pin the same keys.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `new InboxClient(...)`. */
export interface InboxClientOptions {
  /** The server's origin, such as "https://chat.example.com" (no path, no trailing slash). */
  baseUrl: string;
  /** The API inbox's public identifier. */
  inboxIdentifier: string;
  /** Deadline of one call in ms, retries included (default 30000). */
  timeoutMs?: number;
  /** Retries of idempotent calls after network errors, 5xx and 429 (default 2). */
  retries?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}
/** Per-call options. */
export interface CallOptions { signal?: AbortSignal; timeoutMs?: number }
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
export type MessageType = "incoming" | "outgoing" | "activity" | "template" | "unknown";
export type ContentType = "text" | "input_text" | "input_textarea" | "input_email" | "input_select" | "cards" | "form" | "article" | "incoming_email" | "input_csat" | "integrations" | "sticker" | "voice_call" | "unknown";
/** `sending` (and `failed` for a send) are a ChatSession's own messages in flight. */
export type MessageStatus = "sending" | "sent" | "delivered" | "read" | "failed" | "unknown";
export type FileType = "image" | "audio" | "video" | "file" | "location" | "fallback" | "share" | "story_mention" | "contact" | "ig_reel" | "ig_post" | "ig_story" | "embed" | "unknown";
export type SenderKind = "contact" | "user" | "agent_bot" | "captain_assistant" | "unknown";
export type ConversationStatus = "open" | "resolved" | "pending" | "snoozed" | "unknown";
/** One day's opening hours; Sunday is 0; hours are null on closed days. */
export interface WorkingHours {
  dayOfWeek: number; closedAllDay: boolean; openAllDay: boolean;
  openHour: number | null; openMinutes: number | null; closeHour: number | null; closeMinutes: number | null;
}
export interface Inbox {
  identifier: string; name: string; timezone: string | null; identityValidationEnabled: boolean;
  workingHoursEnabled: boolean; workingHours: WorkingHours[]; csatSurveyEnabled: boolean; greetingEnabled: boolean;
}
/** One contact's session in one inbox: store `sourceId` and `pubsubToken`. */
export interface ContactSession {
  sourceId: string; pubsubToken: string; id: number; name: string | null; email: string | null; phoneNumber: string | null;
}
export interface Contact {
  id: number; name: string | null; email: string | null; phoneNumber: string | null; identifier: string | null;
  contactType: string | null; customAttributes: Record<string, unknown>; sourceId: string | null;
  createdAt: number | null; lastActivityAt: number | null;
}
export interface Sender {
  id: number; kind: SenderKind; name: string | null; availableName: string | null;
  avatarUrl: string | null; availabilityStatus: string | null;
}
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
export interface Conversation {
  id: number; uuid: string | null; inboxId: number | null; status: ConversationStatus;
  contactLastSeenAt: number | null; agentLastSeenAt: number | null; lastActivityAt: number | null;
  unreadCount: number | null; labels: string[]; customAttributes: Record<string, unknown>;
  messages: Message[]; contact: Contact | null;
}
export interface CsatResponse { rating: number | null; feedbackMessage: string | null; createdAt: number | null }
export interface CsatSurvey {
  id: number; csatSurveyResponse: CsatResponse | null; displayType: string | null; content: string | null;
  inboxName: string | null; inboxAvatarUrl: string | null; locale: string | null; createdAt: number | null;
}
import type { ChatwootError } from "./errors.js";
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
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): unknown;
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
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** A WebSocket constructor (in Node: `WebSocket` from the "ws" package). */
  WebSocket?: new (url: string, protocols?: string | string[]) => object;
  /** Deadline of one request in ms (default 30000). */
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
export interface ChatSession {
  /** Listens to one event type; returns the function that stops listening. */
  on<K extends keyof ChatEventMap>(type: K, listener: (event: ChatEventMap[K]) => void): () => void;
  /** Called after every change of `getSnapshot()`; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}
"#;
