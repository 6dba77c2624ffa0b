// A page's chat on the package, shared by the classic-script and ESM delivery pages:
// start a session, send one message, show the agent's reply. `sdk` is the package's
// exports (window.ChatwootInbox or the ESM module); results go to #out's data set.
window.chatApp = async function chatApp(sdk) {
  const out = document.getElementById("out");
  const violations = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  try {
    const params = new URLSearchParams(location.search);
    await sdk.init();
    const chat = await sdk.ChatSession.start({ baseUrl: params.get("baseUrl"), inboxIdentifier: params.get("inbox"), storage: "memory" });
    chat.on("message.created", (e) => {
      if (e.message.messageType === "outgoing") {
        out.dataset.reply = e.message.content;
        out.dataset.violations = JSON.stringify(violations);
      }
    });
    const conversation = await chat.startConversation();
    const sent = new Promise((resolve) => chat.on("message.sent", resolve));
    chat.send(conversation.id, params.get("say") ?? "hello");
    await sent;
    out.dataset.version = sdk.version();
    out.dataset.conversation = String(conversation.id);
  } catch (e) {
    out.dataset.error = `${e.code ?? e.name}: ${e.message}`;
  }
};
