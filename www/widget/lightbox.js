// The full-size view of an image attachment: a modal <dialog> (Escape and the backdrop
// close it; focus returns to the thumbnail) with a link to the original.
import { h, icon, safeUrl } from "./dom.js";

export function createLightbox(L) {
  const { t } = L;
  const img = h("img", { class: "cw-lightbox__img", alt: "" });
  const original = h("a", { class: "cw-lightbox__link", target: "_blank", rel: "noopener noreferrer" }, icon("external"), t("openOriginal"));
  const close = h("button", { type: "button", class: "cw-lightbox__close", "aria-label": t("closeImage") }, icon("close"));
  const el = h("dialog", { class: "cw-lightbox", "aria-label": t("image"), dir: L.dir, lang: L.tag }, close, img, original);
  close.addEventListener("click", () => el.close());
  // A click on the backdrop (the dialog itself, outside the image) closes it.
  el.addEventListener("click", (event) => event.target === el && el.close());
  el.addEventListener("close", () => img.removeAttribute("src"));
  return {
    el,
    get open() {
      return el.open;
    },
    show(url, name) {
      // The widget's own previews are blob: URLs; anything else must be http(s).
      const src = url.startsWith("blob:") ? url : safeUrl(url);
      if (!src) return;
      img.src = src;
      img.alt = name ?? "";
      original.href = src;
      original.hidden = src.startsWith("blob:");
      el.showModal();
      close.focus();
    },
  };
}
