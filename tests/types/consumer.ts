// Compiled with `tsc --strict --noEmit` against the built package: every public
// method, option, model and error code must type-check without `any`.
import {
  init, version, InboxClient, ChatwootError, isChatwootError,
  type Inbox, type ContactSession, type Contact, type Conversation, type Message, type CsatSurvey, type ChatwootErrorCode,
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
  const m: Message = await api.createMessage(s.sourceId, conv.id, { content: "hi", echoId: "e", attachments: [file] });
  const answered: Message = await api.updateMessage(s.sourceId, conv.id, m.id, { submittedValues: [{ title: "Yes", value: "yes" }] });
  const survey: CsatSurvey = await api.getCsatSurvey(conv.uuid ?? "");
  const rated: CsatSurvey = await api.submitCsatSurvey(conv.uuid ?? "", { rating: 5, feedbackMessage: "ok" });
  const when: number | null = m.createdAt;
  const kind: "contact" | "user" | "agent_bot" | "captain_assistant" | "unknown" | undefined = m.sender?.kind;
  void [v, inbox, again, c, list, one, done, t, seen, page, answered, survey, rated, when, kind];
}

export function handle(e: unknown): ChatwootErrorCode | null {
  if (isChatwootError(e)) {
    const status: number | undefined = e.status;
    void status;
    return e.code;
  }
  return e instanceof ChatwootError ? e.code : null;
}
