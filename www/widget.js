// The demo widget's entry: reads the page's URL parameters and mounts the widget.
//   baseUrl         the Chatwoot server (default: the local devserver)
//   inbox           the API inbox's identifier (default: the devserver's demo-inbox)
//   identifier, identifierHash, name, email
//                   with `identifier`, the visitor starts as that signed-in user
//                   (ChatSession.start({ user })); without it, name/email only fill the
//                   pre-chat form.
import { mountWidget } from "./widget/app.js";

const params = new URLSearchParams(location.search);
const get = (name) => params.get(name)?.trim() || undefined;
const identifier = get("identifier");
const name = get("name");
const email = get("email");

// The handle's destroy() removes the widget (kept on window for trying it from devtools).
window.chatWidget = mountWidget({
  baseUrl: get("baseUrl") ?? "http://127.0.0.1:3000",
  inboxIdentifier: get("inbox") ?? "demo-inbox",
  user: identifier ? { identifier, identifierHash: get("identifierHash"), name, email } : null,
  prefill: { name, email },
});
