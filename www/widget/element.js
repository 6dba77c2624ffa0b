// <chatwoot-inbox-widget>: the widget as a custom element, in an open shadow root with
// its stylesheet adopted (a constructed CSSStyleSheet: no <style> element, nothing a
// strict CSP blocks, nothing that leaks into the page). Built only on the public SDK,
// which the entry hands to `defineWidget`.
import css from "./widget.css";
import { mountWidget } from "./app.js";

/** The attributes the element reads; a change of any but `open` mounts it again. */
const ATTRIBUTES = ["base-url", "inbox", "identifier", "identifier-hash", "name", "email", "locale", "texts", "position", "mode", "open", "theme"];

let sheet = null;
function stylesheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

/**
 * Defines `<chatwoot-inbox-widget>` (once) on `sdk`, the package's exports.
 * @returns {CustomElementConstructor | undefined} the class, or nothing where there are
 * no custom elements (a server render, Node).
 */
export function defineWidget(sdk, name = "chatwoot-inbox-widget") {
  const registry = globalThis.customElements;
  if (!registry) return undefined;
  const defined = registry.get(name);
  if (defined) return defined;

  class ChatwootInboxWidget extends HTMLElement {
    static observedAttributes = ATTRIBUTES;
    #handle = null;
    #texts = null;

    connectedCallback() {
      if (!this.shadowRoot) {
        const root = this.attachShadow({ mode: "open" });
        root.adoptedStyleSheets = [stylesheet()];
      }
      this.#mount();
    }

    disconnectedCallback() {
      this.#unmount();
    }

    attributeChangedCallback(attr, before, after) {
      // (An upgrade reports each attribute before connectedCallback, which mounts.)
      if (before === after || !this.shadowRoot || !this.isConnected) return;
      if (attr === "open") {
        if (after === null) this.#handle?.close();
        else this.#handle?.open();
      } else if (attr !== "theme") {
        this.#unmount();
        this.#mount();
      }
    }

    /** Opens the panel. */
    open() {
      this.#handle?.open();
    }

    /** Closes the panel (an inline widget stays open). */
    close() {
      this.#handle?.close();
    }

    /**
     * The site's own texts, by key (see locales/en.js), over the locale's: set as an
     * object here, or as JSON in the `texts` attribute. Setting it mounts the widget again.
     */
    get texts() {
      return { ...this.#attributeTexts(), ...this.#texts };
    }

    set texts(value) {
      this.#texts = value && typeof value === "object" ? { ...value } : null;
      if (this.#handle) {
        this.#unmount();
        this.#mount();
      }
    }

    /** The `ChatSession` once it has started (else `null`): listen with `session.on(…)`. */
    get session() {
      return this.#handle?.session ?? null;
    }

    /** Signs the visitor in (the widget's session follows): `ChatSession.identify`. */
    identify(user) {
      const chat = this.session;
      return chat ? chat.identify(user) : Promise.reject(new Error("the widget has not started its session yet"));
    }

    /** Starts over as a new anonymous visitor: `ChatSession.reset`. */
    reset() {
      const chat = this.session;
      return chat ? chat.reset() : Promise.reject(new Error("the widget has not started its session yet"));
    }

    #mount() {
      const baseUrl = this.getAttribute("base-url");
      const inboxIdentifier = this.getAttribute("inbox");
      if (!baseUrl || !inboxIdentifier || this.#handle || !this.shadowRoot) return; // waits for both
      const get = (a) => this.getAttribute(a)?.trim() || undefined;
      const identifier = get("identifier");
      const user = identifier ? { identifier, identifierHash: get("identifier-hash"), name: get("name"), email: get("email") } : null;
      this.#handle = mountWidget({
        sdk,
        baseUrl,
        inboxIdentifier,
        user,
        prefill: { name: get("name"), email: get("email") },
        target: this.shadowRoot,
        locale: get("locale"),
        texts: this.texts,
        mode: get("mode") === "inline" ? "inline" : "floating",
        position: get("position") === "left" ? "left" : "right",
        onReady: (session) => this.dispatchEvent(new CustomEvent("ready", { detail: { session } })),
      });
      if (this.hasAttribute("open")) this.#handle.open();
    }

    /** The `texts` attribute's JSON object (a malformed one is ignored, with a warning). */
    #attributeTexts() {
      const json = this.getAttribute("texts");
      if (!json) return {};
      try {
        const value = JSON.parse(json);
        if (value && typeof value === "object" && !Array.isArray(value)) return value;
      } catch {
        // (reported below)
      }
      console.warn("<chatwoot-inbox-widget>: the texts attribute is not a JSON object; it is ignored");
      return {};
    }

    #unmount() {
      this.#handle?.destroy();
      this.#handle = null;
    }
  }

  registry.define(name, ChatwootInboxWidget);
  return ChatwootInboxWidget;
}
