// A minimal page on the public SDK API: one contact, one conversation, polling for
// replies (realtime arrives with ChatSession). Text is rendered as text, never HTML.
import { init, InboxClient, isChatwootError } from "../pkg/index.js";

const params = new URLSearchParams(location.search);
const baseUrl = params.get("baseUrl") ?? "http://127.0.0.1:3000";
const inboxIdentifier = params.get("inbox") ?? "demo-inbox";
const $ = (id) => document.getElementById(id);
const status = (text) => { $("status").textContent = text; };

await init();
const api = new InboxClient({ baseUrl, inboxIdentifier });
const key = `cw-demo:${baseUrl}:${inboxIdentifier}`;

async function session() {
  const saved = JSON.parse(localStorage.getItem(key) ?? "null");
  if (saved) {
    try {
      await api.getContact(saved.sourceId);
      return saved;
    } catch (e) {
      if (!(isChatwootError(e) && e.code === "not_found")) throw e;
    }
  }
  const contact = await api.createContact();
  const conversation = await api.createConversation(contact.sourceId);
  const fresh = { sourceId: contact.sourceId, conversationId: conversation.id };
  localStorage.setItem(key, JSON.stringify(fresh));
  return fresh;
}

function render(messages) {
  const list = $("messages");
  list.replaceChildren(...messages.map((m) => {
    const li = document.createElement("li");
    li.className = m.messageType;
    li.textContent = m.deleted ? "(deleted)" : m.content ?? `📎 ${m.attachments.length} file(s)`;
    return li;
  }));
  list.scrollTop = list.scrollHeight;
}

try {
  const inbox = await api.getInbox();
  $("inbox-name").textContent = inbox.name;
  const { sourceId, conversationId } = await session();
  const refresh = async () => {
    try {
      render(await api.listMessages(sourceId, conversationId));
      status("");
    } catch (e) {
      status(isChatwootError(e) ? `offline (${e.code})` : String(e));
    }
  };
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const content = $("text").value.trim();
    if (!content) return;
    $("text").value = "";
    try {
      await api.createMessage(sourceId, conversationId, { content, echoId: crypto.randomUUID() });
    } catch (e) {
      status(`not sent: ${e.message}`);
    }
    await refresh();
  });
  await refresh();
  setInterval(refresh, 2000);
} catch (e) {
  status(e.message);
}
