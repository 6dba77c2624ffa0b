// The drop-in widget as one classic script, the SDK inside (as chatwoot-inbox.js):
//   <script src=".../chatwoot-inbox-widget.js" data-base-url="https://chat.example.com"
//           data-inbox="YOUR_INBOX_IDENTIFIER" defer></script>
// mounts <chatwoot-inbox-widget> with the script's data-* attributes (data-identifier,
// data-identifier-hash, data-name, data-email, data-locale, data-texts (JSON), data-position, data-mode,
// data-open, data-theme). Without data-base-url and data-inbox it only defines the
// element (and window.ChatwootInbox), for the page to place itself.
import "./classic.js";
import { defineWidget } from "./widget/element.js";

defineWidget(globalThis.ChatwootInbox);

const script = globalThis.document?.currentScript;
const data = script?.dataset;
if (data?.baseUrl && data.inbox) {
  const el = document.createElement("chatwoot-inbox-widget");
  const attributes = { "base-url": data.baseUrl, inbox: data.inbox, identifier: data.identifier, "identifier-hash": data.identifierHash, name: data.name, email: data.email, locale: data.locale, texts: data.texts, position: data.position, mode: data.mode, theme: data.theme, open: data.open };
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) el.setAttribute(name, value);
  const mount = () => document.body.append(el);
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
}
