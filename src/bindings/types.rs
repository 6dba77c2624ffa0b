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
export type MessageStatus = "sent" | "delivered" | "read" | "failed" | "unknown";
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
"#;
