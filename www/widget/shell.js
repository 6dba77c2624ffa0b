// The widget's frame: the launcher bubble (with its unread badge and a peek at the
// latest unread message) and the chat panel (header, connection line, body, footer).
// Opening and closing are keyboard accessible: the launcher is a button with
// aria-expanded, Escape closes, and focus goes into the panel and back to the launcher.
import { h, icon } from "./dom.js";

export function createShell({ onOpen, onClose, isBusy, signal, inline = false, position = "right", L }) {
  const { t } = L;
  const labelFor = (count) => (count ? t("openChatUnread", { count }) : t("openChat"));
  const badge = h("span", { class: "cw-badge", hidden: true, "aria-hidden": "true" });
  const launcher = h("button", { type: "button", class: "cw-launcher", part: "launcher", "aria-label": t("openChat"), "aria-expanded": "false", "aria-controls": "cw-panel", hidden: inline },
    h("span", { class: "cw-launcher__open" }, icon("chat")), h("span", { class: "cw-launcher__close" }, icon("chevronDown")), badge);

  const peekText = h("p", { class: "cw-peek__text", dir: "auto" });
  const peekName = h("p", { class: "cw-peek__name" });
  const peekClose = h("button", { type: "button", class: "cw-peek__close", "aria-label": t("dismiss") }, icon("close"));
  const peekOpen = h("button", { type: "button", class: "cw-peek__body" }, peekName, peekText);
  const peek = h("div", { class: "cw-peek", hidden: true }, peekOpen, peekClose);

  const title = h("h2", { class: "cw-header__title", id: "cw-title" }, t("chat"));
  const dot = h("span", { class: "cw-dot", "aria-hidden": "true" });
  const presence = h("span", { class: "cw-presence" });
  const hours = h("span", { class: "cw-hours" });
  // Presence and hours, shown once the session knows them.
  const sub = h("p", { class: "cw-header__sub", hidden: true }, dot, presence, h("span", { class: "cw-sep", "aria-hidden": "true" }, "·"), hours);
  const avatars = h("div", { class: "cw-header__avatars", "aria-hidden": "true" });
  const minimize = h("button", { type: "button", class: "cw-header__close", "aria-label": t("closeChat"), title: t("close"), hidden: inline }, icon("chevronDown"));
  // (A div, not <header>: in a shadow root a header would be a second page banner.)
  const header = h("div", { class: "cw-header", part: "header" },
    avatars,
    h("div", { class: "cw-header__text" }, title, sub),
    minimize);

  const connection = h("div", { class: "cw-conn", role: "status", "aria-live": "polite", hidden: true });
  const body = h("div", { class: "cw-body" });
  const footer = h("div", { class: "cw-footer" });
  const drop = h("div", { class: "cw-drop", hidden: true, "aria-hidden": "true" }, icon("clip"), t("dropFiles"));
  const panel = h("section", { class: "cw-panel", part: "panel", id: "cw-panel", role: inline ? "region" : "dialog", "aria-modal": inline ? null : "false", "aria-labelledby": "cw-title", hidden: true },
    header, connection, body, footer, drop,
    h("p", { class: "cw-brand" }, t("poweredBy")));
  const root = h("div", { dir: L.dir, lang: L.tag, class: `cw-widget${inline ? " cw-widget--inline" : ""}${position === "left" ? " cw-widget--left" : ""}` }, panel, peek, launcher);

  let open = false;
  function setOpen(next, { focus = true } = {}) {
    if (next === open) return;
    open = next;
    root.classList.toggle("cw-widget--open", open);
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-label", open ? t("closeChat") : labelFor(Number(badge.textContent) || 0));
    if (open) {
      panel.hidden = false;
      peek.hidden = true;
      // Let the panel lay out before the opening transition starts.
      requestAnimationFrame(() => panel.classList.add("cw-panel--shown"));
      onOpen();
    } else {
      panel.classList.remove("cw-panel--shown");
      panel.hidden = true;
      if (focus) launcher.focus();
      onClose();
    }
  }

  launcher.addEventListener("click", () => setOpen(!open));
  minimize.addEventListener("click", () => setOpen(false));
  peekOpen.addEventListener("click", () => setOpen(true));
  peekClose.addEventListener("click", () => (peek.hidden = true));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !open || inline || event.defaultPrevented || isBusy()) return;
    // (Inside a shadow root, the document sees the host focused; the root knows which.)
    const active = root.getRootNode().activeElement ?? document.activeElement;
    const inside = panel.contains(active) || active === launcher || active === document.body || active === null;
    if (inside) setOpen(false);
  }, { signal });

  return {
    root, panel, body, footer, connection, drop, title, sub, dot, presence, hours, avatars,
    get open() {
      return open;
    },
    setOpen,
    setUnread(count, latest) {
      badge.hidden = count === 0;
      badge.textContent = count > 99 ? "99+" : String(count);
      if (!open) launcher.setAttribute("aria-label", labelFor(count));
      if (count === 0 || !latest) peek.hidden = true;
      else if (!open) {
        peekName.textContent = latest.name;
        peekText.textContent = latest.text;
        peek.hidden = false;
      }
    },
  };
}

