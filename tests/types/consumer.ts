// Compiled with `tsc --strict --noEmit` against the built package: every public
// method, option, model and error code must type-check without `any`.
import {
  init, version, InboxClient, ChatSession, AccountClient, ChatwootError, isChatwootError,
  diagnostics, isOpenAt, nextOpening,
  type ChatEventMap, type ChatEvent, type Diagnostics, type UploadProgress,
  type AccountConversation, type Agent,
  type ConnectionState, type AgentAvailability, type ChatSnapshot,
  type Inbox, type ContactSession, type Contact, type Conversation, type Message, type MessageStatus, type CsatSurvey, type ChatwootErrorCode,
} from "../../pkg/index.js";

export async function everything(file: Blob): Promise<void> {
  await init();
  const v: string = version();
  const api = new InboxClient({ baseUrl: "https://chat.example.com", inboxIdentifier: "abc", timeoutMs: 5000, retries: 1, fetch });
  const signal = new AbortController().signal;
  const inbox: Inbox = await api.getInbox({ signal });
  const s: ContactSession = await api.createContact({ name: "Ana", customAttributes: { plan: "pro" } });
  const again: ContactSession = await api.getContact(s.sourceId, { identifier: "u", identifierHash: "h" });
  const c: Contact = await api.updateContact(s.sourceId, { email: "a@b.c" });
  const list: Conversation[] = await api.listConversations(s.sourceId);
  const conv: Conversation = await api.createConversation(s.sourceId);
  const one: Conversation = await api.getConversation(s.sourceId, conv.id, { timeoutMs: 100 });
  const done: Conversation = await api.resolveConversation(s.sourceId, conv.id);
  const t: void = await api.setTyping(s.sourceId, conv.id, "on");
  const seen: void = await api.updateLastSeen(s.sourceId, conv.id);
  const page: Message[] = await api.listMessages(s.sourceId, conv.id, { before: 10 });
  const m: Message = await api.createMessage(s.sourceId, conv.id, { content: "hi", echoId: "e", attachments: [file] }, {
    signal, onUploadProgress: (p: UploadProgress) => { const share: number | null = p.total && p.loaded / p.total; void share; },
  });
  const open: boolean = isOpenAt(inbox, new Date()) && isOpenAt(inbox, Date.now()) && isOpenAt(inbox);
  const opens: number | null = nextOpening(inbox, Date.now());
  const held: Diagnostics = diagnostics();
  const bytes: number = held.wasmMemoryBytes + held.timers + held.listeners + held.sockets + held.calls + held.promises + held.files;
  void [open, opens, bytes];
  const answered: Message = await api.updateMessage(s.sourceId, conv.id, m.id, { submittedValues: [{ title: "Yes", value: "yes" }] });
  const survey: CsatSurvey = await api.getCsatSurvey(conv.uuid ?? "");
  const rated: CsatSurvey = await api.submitCsatSurvey(conv.uuid ?? "", { rating: 5, feedbackMessage: "ok" });
  const when: number | null = m.createdAt;
  const kind: "contact" | "user" | "agent_bot" | "captain_assistant" | "unknown" | undefined = m.sender?.kind;
  void [v, inbox, again, c, list, one, done, t, seen, page, answered, survey, rated, when, kind];
}

/** Every error code, handled: adding one breaks this switch until it is handled here. */
export function describe(code: ChatwootErrorCode): string {
  switch (code) {
    case "network": case "timeout": case "aborted": case "unauthorized": case "forbidden":
    case "not_found": case "validation": case "rate_limited": case "identity": case "http":
    case "decode": case "invalid_argument": case "not_initialized": case "closed": case "listener":
      return code;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

/** Every event type, listened to below (a new one must be added to this table). */
const allEvents: Record<keyof ChatEventMap, true> = {
  state: true, "message.created": true, "message.updated": true, "message.pending": true, "message.sent": true,
  "message.failed": true, "message.queued": true, "message.progress": true, "conversation.created": true, "conversation.updated": true,
  "conversation.status_changed": true, typing: true, presence: true, synced: true, error: true,
};

export function handle(e: unknown): ChatwootErrorCode | null {
  if (isChatwootError(e)) {
    const status: number | undefined = e.status;
    void status;
    return e.code;
  }
  return e instanceof ChatwootError ? e.code : null;
}

export async function session(file: Blob): Promise<void> {
  const chat: ChatSession = await ChatSession.start({
    baseUrl: "https://chat.example.com", inboxIdentifier: "abc", storage: "session", realtime: true,
    user: { identifier: "u1", identifierHash: "h", name: "Ana" }, timeoutMs: 1000, retries: 1, tabs: "own",
  });
  const mem: ChatSession = await ChatSession.start({
    baseUrl: "https://chat.example.com", inboxIdentifier: "abc",
    storage: { getItem: (k: string) => localStorage.getItem(k), setItem: (k: string, v: string) => localStorage.setItem(k, v), removeItem: (k: string) => localStorage.removeItem(k) },
  });
  const inbox: Inbox = chat.inbox;
  const me: ContactSession = chat.contact;
  const state: ConnectionState = chat.state;
  const tab: "leader" | "follower" | "own" = chat.tab;
  const convs: Conversation[] = await chat.listConversations();
  const conv: Conversation = await chat.startConversation({ customAttributes: { plan: "pro" } });
  const list: Message[] = chat.messages(conv.id);
  const more: boolean = await chat.loadOlder(conv.id);
  const local: Message = chat.send(conv.id, "hi");
  const withFile: Message = chat.send(conv.id, { content: "see", attachments: [file] });
  await chat.retry(local.echoId ?? "");
  const dropped: boolean = chat.discard(local.echoId ?? "");
  chat.typing(conv.id);
  chat.stopTyping(conv.id);
  chat.markSeen(conv.id);
  const resolved: Conversation = await chat.resolve(conv.id);
  const answered: Message = await chat.submitReply(conv.id, 1, [{ title: "Yes", value: "yes" }]);
  const rated: Message = await chat.submitReply(conv.id, 2, { csatSurveyResponse: { rating: 5 } });
  const who: ContactSession = await chat.identify({ identifier: "u2" });
  const fresh: ContactSession = await chat.reset();
  const offs: Array<() => void> = [
    chat.on("state", (e) => { const s: ConnectionState = e.state; void s; }),
    chat.on("message.created", (e) => { const id: number = e.message.id + e.conversationId; void id; }),
    chat.on("message.updated", (e) => void e.message.status),
    chat.on("message.pending", (e) => { const echo: string = e.echoId; void echo; }),
    chat.on("message.sent", (e) => void e.message),
    chat.on("message.failed", (e) => { const err: ChatwootError = e.error; void err.code; }),
    chat.on("message.queued", (e) => { const s: MessageStatus | null = e.message.status; void [s, e.echoId, dropped]; }),
    chat.on("conversation.created", (e) => void e.conversation.id),
    chat.on("conversation.updated", (e) => void e.conversation.status),
    chat.on("conversation.status_changed", (e) => void e.conversation.status),
    chat.on("typing", (e) => { const on: boolean = e.typing; void [on, e.user?.name]; }),
    chat.on("presence", (e) => { const a: AgentAvailability | undefined = e.agents["1"]; void a; }),
    chat.on("synced", (e) => { const n: number = e.recovered; void n; }),
    chat.on("error", (e) => { const c: ChatwootErrorCode = e.error.code; void c; }),
    chat.on("message.progress", (e) => { const sent: number = e.loaded; const of: number | null = e.total; void [sent, of, e.echoId, e.conversationId]; }),
    chat.subscribe(() => {}),
  ];
  const id = chat.addListener("change", (e: ChatEvent) => void e.type);
  chat.removeListener(id);
  for (const type of Object.keys(allEvents) as Array<keyof ChatEventMap>) chat.on(type, (e) => void e.type);
  const snap: ChatSnapshot = chat.getSnapshot();
  const firstId: number | undefined = snap.messages[String(conv.id)]?.[0]?.id;
  const closedCode: ChatwootErrorCode = "closed";
  const listenerCode: ChatwootErrorCode = "listener";
  chat.close();
  void [mem, inbox, me, state, convs, list, more, withFile, resolved, answered, rated, who, fresh, offs, snap, firstId, closedCode, listenerCode];
}

export async function agentSide(): Promise<void> {
  const acct = new AccountClient({ baseUrl: "https://chat.example.com", accountId: "1", apiAccessToken: "t", timeoutMs: 5000, retries: 0, fetch });
  const list: AccountConversation[] = await acct.listContactConversations(42, { timeoutMs: 100 });
  const one: AccountConversation = await acct.getConversation("7");
  const made: AccountConversation = await acct.createConversation({
    inboxId: 1, contactId: "42", sourceId: "s", status: "pending", assigneeId: 1, teamId: "2",
    customAttributes: { a: 1 }, additionalAttributes: { browser: "x" },
  });
  const assignee: Agent | null | undefined = one.meta?.assignee;
  const last: Message | null = made.lastNonActivityMessage;
  const codes: ChatwootErrorCode[] = ["unauthorized", "forbidden", "not_found"];
  void [list, assignee, last, codes];
}

// The drop-in widget's element, its texts and its tag in the DOM's maps.
import { ChatwootInboxWidget, type WidgetTexts } from "../../pkg/widget.js";

export function widgetTyped(): void {
  const el = document.createElement("chatwoot-inbox-widget");
  const same: ChatwootInboxWidget = el;
  const texts: WidgetTexts = { send: "Go", openChatUnread_other: "Open chat, {count} unread" };
  same.texts = texts;
  const send: string | undefined = same.texts.send;
  el.setAttribute("locale", "ar");
  el.open();
  void send;
}
