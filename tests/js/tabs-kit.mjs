// Shared pieces of the shared-tabs tests: a session started in a page (localStorage,
// shared tabs by default) that counts the agent messages it emits, polling until a
// condition holds, and the devserver's count of a contact's subscribed sockets.

/** In the page: a session on `inbox`, its `message.created` of agent messages counted by id. */
export const startCounting = async ({ pkg, baseUrl, inbox }) => {
  const sdk = await import(pkg);
  await sdk.init();
  const chat = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox });
  const seen = {};
  chat.on("message.created", (e) => {
    if (e.message.messageType === "outgoing") seen[e.message.id] = (seen[e.message.id] ?? 0) + 1;
  });
  window.tab = { chat, seen };
  return chat.contact.sourceId;
};

/** Polls `check` (every 25 ms, up to `ms`) until it returns something truthy. */
export async function until(check, what, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The devserver's subscribed sockets of the contact with `token`. */
export async function socketsOf(server, token) {
  const list = await server.control("GET", "/sockets");
  return list.filter((s) => s.subscriptions.some((x) => x.confirmed && x.pubsubToken === token)).length;
}
