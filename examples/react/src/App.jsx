// A minimal chat on a ChatSession: the conversation's messages from the snapshot, a
// composer, the agent's typing, and the connection state. Text is rendered by React
// (escaped), never as HTML.
import { useEffect, useState } from "react";
import { useChatSession, useChatSnapshot } from "./useChat.js";

export function App({ baseUrl, inboxIdentifier }) {
  const { chat, error } = useChatSession({ baseUrl, inboxIdentifier, storage: "memory" });
  const snapshot = useChatSnapshot(chat);
  const [conversationId, setConversationId] = useState(null);
  const [text, setText] = useState("");

  useEffect(() => {
    if (!chat) return;
    const existing = chat.getSnapshot().conversations[0];
    if (existing) setConversationId(existing.id);
    else chat.startConversation().then((c) => setConversationId(c.id));
  }, [chat]);
  useEffect(() => {
    // Reads the newest page of the conversation once; the snapshot follows from then on.
    if (chat && conversationId !== null) chat.messages(conversationId);
  }, [chat, conversationId]);

  if (error) return <p role="alert">Could not connect: {error.message}</p>;
  if (!snapshot || conversationId === null) return <p>Connecting…</p>;
  const messages = snapshot.messages[String(conversationId)] ?? [];
  const typing = snapshot.typing[String(conversationId)];
  const send = (e) => {
    e.preventDefault();
    if (!text.trim()) return;
    chat.send(conversationId, text);
    setText("");
  };
  return (
    <main>
      <p data-testid="state">{snapshot.state}</p>
      <ol aria-label="Messages">
        {messages.map((m) => (
          <li key={m.echoId ?? m.id} data-type={m.messageType} data-status={m.status ?? ""}>
            <b>{m.sender?.name ?? (m.messageType === "incoming" ? "You" : "Agent")}:</b> {m.content}
          </li>
        ))}
      </ol>
      {typing && <p data-testid="typing">{typing.name} is typing…</p>}
      <form onSubmit={send}>
        <input aria-label="Message" value={text} onChange={(e) => { setText(e.target.value); chat.typing(conversationId); }} />
        <button>Send</button>
      </form>
    </main>
  );
}
