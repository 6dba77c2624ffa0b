// `chatwoot-inbox-sdk/widget`: defines <chatwoot-inbox-widget> on this package's own SDK
// (the same module instance, so the page loads the WebAssembly once). Importing it in a
// server render defines nothing.
import * as sdk from "./index.js";
import { defineWidget as define } from "./widget/element.js";

/** The element's class (`undefined` where there are no custom elements). */
export const ChatwootInboxWidget = define(sdk);

/** Defines the element under another tag name (the default one is defined already). */
export const defineWidget = (name) => define(sdk, name);
