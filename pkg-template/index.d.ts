export { InboxClient, ChatSession, version } from "./chatwoot_inbox_sdk.js";
export type {
  InboxClientOptions, CallOptions, ContactInput, Identity, ConversationInput, MessageInput, SubmittedValue,
  ChatSessionOptions, ChatUser, SessionStore, SendInput, ChatSnapshot, ChatEventMap, ChatEvent,
  ConnectionState, AgentAvailability,
  MessageType, ContentType, MessageStatus, FileType, SenderKind, ConversationStatus,
  WorkingHours, Inbox, ContactSession, Contact, Sender, Attachment, Message, Conversation, CsatResponse, CsatSurvey,
} from "./chatwoot_inbox_sdk.js";
export { ChatwootError, isChatwootError } from "./errors.js";
export type { ChatwootErrorCode } from "./errors.js";

/**
 * Loads the WebAssembly module. Idempotent. In Node it resolves at once.
 * @param input where to load the `.wasm` from (default: next to this file)
 */
export function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
