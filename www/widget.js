// The demo's widget: the shipped <chatwoot-inbox-widget> (pkg/widget.js), given the page's
// URL parameters:
//   baseUrl         the Chatwoot server (default: the local devserver)
//   inbox           the API inbox's identifier (default: the devserver's demo-inbox)
//   identifier, identifierHash, name, email
//                   with `identifier`, the visitor starts as that signed-in user; without
//                   it, name/email only fill the pre-chat form.
//   mode, position, theme   inline | floating, left | right, light | dark
//   locale          en | id | es | ar (right to left); default: the page's language
import "../pkg/widget.js";

const params = new URLSearchParams(location.search);
const get = (name) => params.get(name)?.trim() || undefined;
const widget = document.createElement("chatwoot-inbox-widget");
const attributes = {
  "base-url": get("baseUrl") ?? "http://127.0.0.1:3000",
  inbox: get("inbox") ?? "demo-inbox",
  identifier: get("identifier"),
  "identifier-hash": get("identifierHash"),
  name: get("name"),
  email: get("email"),
  mode: get("mode"),
  position: get("position"),
  theme: get("theme"),
  locale: get("locale"),
};
for (const [name, value] of Object.entries(attributes)) if (value !== undefined) widget.setAttribute(name, value);
document.body.append(widget);
// (Kept on window for trying it from devtools: widget.session, widget.open(), remove().)
window.chatWidget = widget;
