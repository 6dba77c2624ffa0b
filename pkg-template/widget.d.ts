import type { ChatSession, ContactSession, ChatUser } from "./index.js";

/**
 * `<chatwoot-inbox-widget base-url="…" inbox="…">`: the drop-in chat widget, in an open
 * shadow root. Attributes: `base-url`, `inbox` (both required), `identifier`,
 * `identifier-hash`, `name`, `email` (a signed-in visitor; without `identifier`, `name`
 * and `email` only fill the pre-chat form), `locale` (a BCP 47 tag; `en`, `id`, `es` and
 * `ar` have texts, `ar` lays out right to left; default: the page's `<html lang>`, else
 * the browser's), `texts` (JSON: the site's own texts by key), `position` (`left` | `right`), `mode`
 * (`floating` | `inline`), `open`, `theme` (`light` | `dark`; default: the system's).
 * Theming: the custom properties `--chatwoot-accent`, `--chatwoot-surface`,
 * `--chatwoot-text`, `--chatwoot-radius`, `--chatwoot-font`, `--chatwoot-launcher-size`,
 * `--chatwoot-z-index`, and `::part(launcher | panel | header | bubble | composer)`.
 * Fires `ready` (`detail.session`) once its session has started.
 */
export declare class ChatwootInboxWidget extends HTMLElement {
  /** Opens the panel. */
  open(): void;
  /** Closes the panel (an inline widget stays open). */
  close(): void;
  /**
   * The site's own texts by key, over the locale's (`locales/en.js` in the package lists
   * every key). Setting it mounts the widget again.
   */
  texts: WidgetTexts;
  /** The widget's `ChatSession` once it has started, else `null`. */
  readonly session: ChatSession | null;
  /** Signs the visitor in: `ChatSession.identify`. */
  identify(user: ChatUser): Promise<ContactSession>;
  /** Starts over as a new anonymous visitor: `ChatSession.reset`. */
  reset(): Promise<ContactSession>;
}

/**
 * Texts by key, e.g. `{ "introTitle": "Talk to us", "send": "Go" }`. `{name}` parts are
 * filled in; a key with `_one`/`_other` (and `_zero`, `_two`, `_few`, `_many`) variants
 * is chosen by `Intl.PluralRules` for `{count}`.
 */
export type WidgetTexts = Partial<Record<string, string>>;

/** Defines the element under another tag name (`chatwoot-inbox-widget` is defined on import). */
export declare function defineWidget(name: string): typeof ChatwootInboxWidget | undefined;

declare global {
  interface HTMLElementTagNameMap {
    "chatwoot-inbox-widget": ChatwootInboxWidget;
  }
}
