// A client of the devserver's control API (`/__devserver/…`, CORS-open, JSON with
// camelCase keys) and, to play the visitor, of the public API as that contact.

export function createControl(baseUrl) {
  async function call(method, path, body) {
    const res = await fetch(`${baseUrl}/__devserver${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${errorText(text)}`);
    return text ? JSON.parse(text) : null;
  }
  const id = (v) => encodeURIComponent(String(v));
  return {
    conversations: (inbox) => call("GET", `/inboxes/${id(inbox)}/conversations`),
    messages: (conversationId) => call("GET", `/conversations/${id(conversationId)}/messages`),
    post: (conversationId, message) => call("POST", `/conversations/${id(conversationId)}/messages`, message),
    setStatus: (conversationId, status) => call("PATCH", `/conversations/${id(conversationId)}`, { status }),
    patchMessage: (messageId, patch) => call("PATCH", `/messages/${id(messageId)}`, patch),
    typing: (conversationId, on, senderType = "user") => call("POST", `/conversations/${id(conversationId)}/typing`, { typingStatus: on ? "on" : "off", senderType }),
    sockets: () => call("GET", "/sockets"),
    dropSockets: () => call("POST", "/sockets/drop", {}),
    restartSockets: () => call("POST", "/sockets/disconnect", {}),
    pausePings: (paused) => call("POST", "/sockets/pings", { paused }),
    presence: () => call("GET", "/presence"),
    setPresence: (agentId, state) => call("PUT", "/presence", { [agentId]: state }),
    createInbox: (options) => call("POST", "/inboxes", options),
    /** A message from the visitor, through the public API with their session's source id. */
    async asVisitor(inbox, sourceId, conversationId, content) {
      const path = `/public/api/v1/inboxes/${id(inbox)}/contacts/${id(sourceId)}/conversations/${id(conversationId)}/messages`;
      const res = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ content }) });
      if (!res.ok) throw new Error(`visitor message: ${res.status} ${errorText(await res.text())}`);
    },
  };
}

function errorText(text) {
  try {
    const body = JSON.parse(text);
    return body.error ?? body.message ?? text;
  } catch {
    return text.slice(0, 200);
  }
}
