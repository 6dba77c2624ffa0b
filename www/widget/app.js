// The widget's behaviour, on the public SDK only: one ChatSession drives everything the
// panel shows (`subscribe` + `getSnapshot`), events add what a snapshot cannot say
// (unread agent messages, upload progress, retry countdowns, errors).
import { h, icon } from "./dom.js";
import { useSdk } from "./sdk.js";
import { createShell } from "./shell.js";
import { createHeader } from "./header.js";
import { createConnectionLine } from "./connection.js";
import { createMessageList } from "./list.js";
import { createComposer } from "./composer.js";
import { createPrechat } from "./prechat.js";
import { createToaster } from "./toast.js";
import { createLightbox } from "./lightbox.js";
import { enableDrop } from "./dropzone.js";
import { sideOf, senderName } from "./message.js";
import { describe as describeIn, previewText } from "./texts.js";
import { chooseLocale, createI18n, loadTexts } from "./i18n.js";


/**
 * Mounts the widget into `target` (an element or a shadow root), on `sdk` (the package's
 * exports: `init`, `ChatSession`, `InboxClient`).
 * `user` is a signed-in visitor (started identified; `identifierHash` comes from your
 * server); `prefill` only fills the pre-chat form. `mode: "inline"` shows the
 * conversation in the target's own box (no launcher, never floating); `position` puts the
 * floating launcher `"left"` or `"right"`. `onReady(chat)` is told the session once it
 * has started.
 * `locale` (a BCP 47 tag; default: the page's language) picks the texts, the direction
 * and the date formats; `texts` overrides any text by key (locales/en.js has them all).
 * A locale other than English is loaded first: until then the handle remembers
 * open/close.
 * @param {{ sdk: object, baseUrl: string, inboxIdentifier: string, user?: { identifier: string, identifierHash?: string, name?: string, email?: string } | null, prefill?: { name?: string, email?: string }, target?: Element | ShadowRoot, mode?: "floating" | "inline", position?: "left" | "right", locale?: string, texts?: Record<string, string>, onReady?: (chat: object) => void }} options
 */
export function mountWidget({ locale, texts, ...options }) {
  const chosen = chooseLocale(locale);
  const overrides = {};
  for (const [key, value] of Object.entries(texts ?? {})) if (typeof value === "string") overrides[key] = value;
  let widget = null;
  let wantOpen = null;
  let destroyed = false;
  const build = (table) => {
    if (destroyed) return;
    widget = mount({ ...options, L: createI18n({ ...chosen, table, overrides }) });
    if (wantOpen !== null) (wantOpen ? widget.open : widget.close)();
  };
  if (chosen.lang === "en") build(undefined);
  else loadTexts(chosen.lang).then(build);
  return {
    open() {
      if (widget) widget.open();
      else wantOpen = true;
    },
    close() {
      if (widget) widget.close();
      else wantOpen = false;
    },
    get session() {
      return widget?.session ?? null;
    },
    destroy() {
      destroyed = true;
      widget?.destroy();
    },
  };
}

function mount({ sdk, baseUrl, inboxIdentifier, user = null, prefill = {}, target = document.body, mode = "floating", position = "right", onReady = () => {}, L }) {
  const { t } = L;
  const describe = (error) => describeIn(error, t);
  useSdk(sdk);
  const { init, ChatSession, InboxClient } = sdk;
  const inline = mode === "inline";
  const openKey = `cw-widget-open:${baseUrl}:${inboxIdentifier}`;
  const teardown = new AbortController(); // ends the document listeners on destroy()
  const toaster = createToaster(t);
  const lightbox = createLightbox(L);
  const shell = createShell({ onOpen, onClose, isBusy: () => lightbox.open, signal: teardown.signal, inline, position, L });
  const header = createHeader(shell, L);
  const connection = createConnectionLine(shell.connection, t);
  shell.panel.append(toaster.el);
  target.append(shell.root, lightbox.el);
  const toast = (message) => toaster.show(message);

  let chat = null;
  let api = null;
  let hoursTimer = 0;
  let destroyed = false;
  let view = "loading"; // loading | error | prechat | conversation
  let convId = null; // null in "conversation" view: a known user's first message starts one
  const ready = new Set(); // conversations whose newest page has been read
  const history = new Map(); // conversation id → { loading, exhausted, failed }
  const reopenable = new Set(); // resolved conversations the visitor chose to write in again
  const previews = new Map(); // echo id → the visitor's own files while they upload
  let unread = 0;
  let extras = null; // widget-extras.js, once this widget has adopted its styles
  let extrasAsked = false;
  let focusView = () => {}; // what gets focus when the panel opens

  const list = createMessageList({
    ctx: {
      submit: submitReply,
      retry: (echoId) => chat.retry(echoId).catch((e) => toast(describe(e))),
      discard: (echoId) => chat?.discard(echoId),
      openImage: (url, name) => lightbox.show(url, name),
      previews: (echoId) => previews.get(echoId) ?? null,
      extras: () => extras ?? (loadExtras(), null),
      L,
    },
    onLoadOlder: loadOlder,
  });
  const composer = createComposer({
    onSend: send,
    onTyping: () => convId !== null && chat?.typing(convId),
    onStopTyping: () => convId !== null && chat?.stopTyping(convId),
    onProblem: toast,
    L,
  });
  const startAgain = h("button", { type: "button", class: "cw-button cw-button--primary" }, icon("plus"), t("startNew"));
  const resolvedNote = h("div", { class: "cw-resolved", hidden: true },
    h("p", { class: "cw-resolved__text" }, icon("check"), t("resolved")), startAgain);
  startAgain.addEventListener("click", startNewConversation);
  enableDrop(shell.panel, shell.drop, () => view === "conversation" && !composer.el.hidden, (files) => {
    composer.addFiles(files);
    composer.focus();
  });

  // ---- the session -------------------------------------------------------------------

  async function connect() {
    setBody("loading", h("div", { class: "cw-loading" }, h("span", { class: "cw-spinner", "aria-hidden": "true" }), t("connectingSupport")));
    try {
      await init();
      chat = await ChatSession.start({ baseUrl, inboxIdentifier, ...(user ? { user } : {}) });
      api = new InboxClient({ baseUrl, inboxIdentifier });
      if (destroyed) {
        chat.close(); // destroy() came while connecting
        chat = null;
        return;
      }
    } catch (e) {
      chat = null;
      if (destroyed) return;
      const retry = h("button", { type: "button", class: "cw-button cw-button--primary" }, icon("retry"), t("tryAgain"));
      retry.addEventListener("click", connect);
      setBody("error", h("div", { class: "cw-empty", role: "alert" },
        h("p", { class: "cw-empty__title" }, t("unreachable")),
        h("p", { class: "cw-empty__text" }, describe(e)), retry));
      return;
    }
    L.setZone(chat.inbox.timezone); // dates and times in the inbox's timezone (else the browser's)
    listen();
    shell.title.textContent = chat.inbox.name;
    shell.sub.hidden = false;
    list.setIntro(
      h("span", { class: "cw-intro__icon", "aria-hidden": "true" }, icon("chat")),
      h("p", { class: "cw-intro__title" }, t("introTitle")),
      h("p", { class: "cw-intro__text" }, t("introText", { inbox: chat.inbox.name })));
    header.hours(chat.inbox);
    hoursTimer = setInterval(() => chat && header.hours(chat.inbox), 60_000); // the line changes as hours pass
    const latest = latestConversation();
    if (latest) selectConversation(latest.id);
    else if (user?.name && user?.email) selectConversation(null);
    else showPrechat();
    render();
    if (shell.open) onOpen();
    onReady(chat);
  }

  function listen() {
    chat.subscribe(render);
    chat.on("state", (e) => {
      connection.retryIn(e.state, e.retryInMs);
      connection.show(e.state);
    });
    chat.on("message.created", ({ conversationId, message }) => {
      if (sideOf(message) !== "agent") return;
      if (shell.open && document.visibilityState === "visible" && conversationId === convId) chat.markSeen(conversationId);
      else if (!shell.open) {
        unread++;
        shell.setUnread(unread, { name: senderName(message, t), text: previewText(message, t) });
      }
    });
    chat.on("message.sent", ({ echoId, message }) => {
      list.alias(message.id, echoId);
      for (const p of previews.get(echoId) ?? []) URL.revokeObjectURL(p.url);
      previews.delete(echoId);
    });
    chat.on("message.failed", ({ error }) => toast(t("notSent", { reason: describe(error) })));
    // Upload progress of a send with files (browsers; the bar is indeterminate until then).
    chat.on("message.progress", ({ echoId, loaded, total }) => list.progress(echoId, loaded, total));
    chat.on("synced", ({ conversationId }) => {
      // The first `synced` of a conversation whose newest page is in: from now on the
      // list may read older pages (and knows whether there are any).
      const known = chat.getSnapshot().history[String(conversationId)];
      if (ready.has(conversationId) || !known?.loaded) return;
      ready.add(conversationId);
      history.set(conversationId, { ...history.get(conversationId), exhausted: known.atStart });
      if (conversationId !== convId) return;
      list.setHistory({ ready: true, exhausted: known.atStart });
    });
    chat.on("error", ({ error }) => toast(describe(error)));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && shell.open && convId !== null) chat?.markSeen(convId);
    }, { signal: teardown.signal });
  }

  function latestConversation() {
    const all = chat.getSnapshot().conversations;
    return all.length ? all.reduce((a, b) => (b.id > a.id ? b : a)) : null;
  }

  // ---- views -------------------------------------------------------------------------

  function setBody(name, ...nodes) {
    view = name;
    shell.body.replaceChildren(...nodes);
    shell.footer.replaceChildren();
    shell.panel.dataset.view = name;
  }

  function showPrechat() {
    const form = createPrechat({
      t,
      inboxName: chat.inbox.name,
      name: user?.name ?? prefill.name ?? "",
      email: user?.email ?? prefill.email ?? "",
      onSubmit: async ({ name, email }) => {
        try {
          // The pre-chat answers go onto the contact (with the identity proof when the
          // visitor is a signed-in user), then the conversation starts.
          const identity = user ? { identifier: user.identifier, identifierHash: user.identifierHash } : {};
          await api.updateContact(chat.contact.sourceId, { name, email, ...identity });
          const conversation = await chat.startConversation();
          selectConversation(conversation.id);
          composer.focus();
          return true;
        } catch (e) {
          toast(describe(e));
          return false;
        }
      },
    });
    setBody("prechat", form.el);
    focusView = form.focus;
    if (shell.open) form.focus();
  }

  function selectConversation(id) {
    convId = id;
    list.reset();
    setBody("conversation", list.el);
    shell.footer.append(resolvedNote, composer.el);
    focusView = () => (composer.el.hidden ? startAgain.focus() : composer.focus());
    if (id === null) list.setHistory({ ready: true, exhausted: true });
    else {
      chat.messages(id); // reads the newest page on first use; `synced` follows
      list.setHistory({ ready: ready.has(id), ...(history.get(id) ?? {}) });
    }
    render();
  }

  async function startNewConversation() {
    startAgain.disabled = true;
    try {
      const conversation = await chat.startConversation();
      // With "lock to single conversation" the server hands back the resolved one:
      // writing in it reopens it.
      if (conversation.status === "resolved") reopenable.add(conversation.id);
      selectConversation(conversation.id);
      composer.focus();
    } catch (e) {
      toast(describe(e));
    } finally {
      startAgain.disabled = false;
    }
  }

  // ---- rendering ---------------------------------------------------------------------

  function render() {
    if (!chat) return;
    const snap = chat.getSnapshot();
    header.presence(snap.agents);
    connection.show(snap.state);
    if (view !== "conversation") return;
    const key = String(convId);
    const messages = convId === null ? [] : snap.messages[key] ?? [];
    list.update(messages, convId === null ? null : snap.typing[key] ?? null);
    header.avatars(messages, chat.inbox.name);
    const conversation = snap.conversations.find((c) => c.id === convId);
    if (conversation && conversation.status !== "resolved") reopenable.delete(convId);
    const resolved = conversation?.status === "resolved" && !reopenable.has(convId);
    if (resolvedNote.hidden === resolved) {
      resolvedNote.hidden = !resolved;
      composer.el.hidden = resolved;
      shell.panel.classList.toggle("cw-panel--resolved", resolved);
    }
  }

  // ---- actions -----------------------------------------------------------------------

  /** True (or a promise of it) once the SDK holds the message: the composer clears then. */
  function send(text, files) {
    if (!chat) return false;
    if (convId === null) {
      // A known user's first message: start the conversation, then send it. The draft
      // stays in the composer until the SDK holds it, so a failed start loses nothing.
      composer.setDisabled(true);
      return chat.startConversation().then(
        (conversation) => {
          composer.setDisabled(false);
          selectConversation(conversation.id);
          return sendTo(conversation.id, text, files);
        },
        (e) => {
          composer.setDisabled(false);
          toast(describe(e));
          return false;
        },
      );
    }
    return sendTo(convId, text, files);
  }

  function sendTo(id, text, files) {
    try {
      const input = files.length ? { content: text || undefined, attachments: files.map((f) => f.file) } : text;
      const local = chat.send(id, input);
      if (files.length) previews.set(local.echoId, files.map(({ file, url }) => ({ url, name: file.name, size: file.size, type: file.type })));
      return true;
    } catch (e) {
      toast(describe(e));
      return false;
    }
  }

  /** Answers an interactive or CSAT message; resolves false (after a toast) when it failed. */
  async function submitReply(message, values) {
    try {
      // The message's own conversation: the visitor may have switched since it was shown.
      await chat.submitReply(message.conversationId ?? convId, message.id, values);
      return true;
    } catch (e) {
      toast(describe(e));
      return false;
    }
  }

  async function loadOlder() {
    const id = convId;
    if (id === null || !chat) return;
    const state = history.get(id) ?? {};
    if (state.loading || state.exhausted) return;
    const set = (patch) => {
      history.set(id, { ...history.get(id), ...patch });
      if (id === convId) list.setHistory(patch);
    };
    set({ loading: true, failed: false });
    try {
      // Subscribers (render) have seen the page by the time this resolves.
      const more = await chat.loadOlder(id);
      const atStart = chat.getSnapshot().history[String(id)]?.atStart ?? false;
      set({ loading: false, exhausted: !more || atStart });
    } catch (e) {
      set({ loading: false, failed: true });
      toast(describe(e));
    }
  }

  /** Loads widget-extras.js (the first interactive message or survey), then shows them. */
  function loadExtras() {
    if (extrasAsked) return;
    extrasAsked = true;
    import("./widget-extras.js").then(
      (module) => {
        if (destroyed) return;
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(module.css);
        const root = target instanceof ShadowRoot ? target : document;
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
        extras = module;
        list.refresh();
        render();
      },
      (e) => {
        extrasAsked = false; // the next render asks again
        toast(describe(e));
      },
    );
  }

  // ---- panel -------------------------------------------------------------------------

  function onOpen() {
    if (!inline) remember(openKey, true);
    unread = 0;
    shell.setUnread(0);
    list.scrollToBottom();
    if (view === "prechat" || view === "conversation") focusView();
    else shell.panel.querySelector("button")?.focus();
    if (chat && convId !== null) chat.markSeen(convId);
  }

  function onClose() {
    remember(openKey, false);
    if (chat && convId !== null) chat.stopTyping(convId);
  }

  // Inline: always open. Floating: it stays open across the site's pages.
  if (inline || remember(openKey)) shell.setOpen(true, { focus: false });
  connect();

  return {
    /** Opens the panel (a floating widget's launcher state follows). */
    open() {
      shell.setOpen(true);
    },
    /** Closes the panel (an inline widget stays open). */
    close() {
      if (!inline) shell.setOpen(false);
    },
    /** The `ChatSession`, once started (else `null`). */
    get session() {
      return chat;
    },
    /** Removes the widget: closes the session, stops its timers and listeners, frees previews. */
    destroy() {
      if (destroyed) return;
      destroyed = true;
      teardown.abort();
      clearInterval(hoursTimer);
      connection.stop();
      chat?.close();
      chat = null;
      for (const files of previews.values()) for (const p of files) URL.revokeObjectURL(p.url);
      previews.clear();
      shell.root.remove();
      lightbox.el.remove();
    },
  };
}

/** Reads (one argument) or sets whether the panel is open, in this tab's sessionStorage. */
function remember(key, open) {
  try {
    if (open === undefined) return sessionStorage.getItem(key) === "1";
    if (open) sessionStorage.setItem(key, "1");
    else sessionStorage.removeItem(key);
  } catch {
    // No storage (a sandboxed frame): the panel just starts closed.
  }
  return false;
}
