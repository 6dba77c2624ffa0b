// Small, polite notices (never alert()): an SDK error, a file that is too large. They
// stack above the composer and go away by themselves or with their close button.
import { h, icon } from "./dom.js";

const SHOW_MS = 6000;

export function createToaster(t) {
  const el = h("div", { class: "cw-toasts", role: "status", "aria-live": "polite" });
  function show(message, kind = "error") {
    // The same notice twice in a row is shown once.
    const last = el.lastElementChild;
    if (last && last.dataset.message === message) return;
    const close = h("button", { type: "button", class: "cw-toast__close", "aria-label": t("dismiss") }, icon("close"));
    const toast = h("div", { class: `cw-toast cw-toast--${kind}`, dataset: { message } }, icon(kind === "error" ? "alert" : "check"), h("span", { dir: "auto" }, message), close);
    const timer = setTimeout(() => toast.remove(), SHOW_MS);
    close.addEventListener("click", () => {
      clearTimeout(timer);
      toast.remove();
    });
    el.append(toast);
    while (el.children.length > 3) el.firstElementChild.remove();
  }
  return { el, show };
}
