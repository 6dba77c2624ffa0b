// The composer: a growing textarea (Enter sends, Shift+Enter is a new line), a paperclip
// with a tray of files to send (also filled by drag & drop and paste), and a send button
// that is disabled while there is nothing to send. Typing is reported as it happens.
import { h, icon } from "./dom.js";

const MAX_FILES = 15; // Chatwoot's limit per message
const MAX_BYTES = 40 * 1024 * 1024; // API inboxes check no size: the widget does (as Chatwoot's own does)
const MAX_HEIGHT = 140;

/**
 * `onSend(text, files)` returns true (or a promise of it) when the message was handed to the SDK (the
 * composer then clears); `files` are `{ file, url }` and their object URLs now belong
 * to the caller.
 */
export function createComposer({ onSend, onTyping, onStopTyping, onProblem, L }) {
  const { t } = L;
  let files = []; // { file, url }
  const input = h("input", { type: "file", multiple: true, class: "cw-file-input", tabindex: "-1", "aria-hidden": "true" });
  const attach = h("button", { type: "button", class: "cw-icon-btn", "aria-label": t("attachFiles"), title: t("attachFiles") }, icon("clip"));
  const text = h("textarea", { class: "cw-input", rows: "1", placeholder: t("writeMessage"), "aria-label": t("message"), enterkeyhint: "send", dir: "auto" });
  const send = h("button", { type: "submit", class: "cw-send", "aria-label": t("send"), title: t("send"), disabled: true }, icon("send"));
  const tray = h("ul", { class: "cw-tray", hidden: true, "aria-label": t("filesToSend") });
  const form = h("form", { class: "cw-composer", part: "composer" }, tray, h("div", { class: "cw-composer__row" }, attach, input, text, send));

  const empty = () => !text.value.trim() && files.length === 0;
  const refresh = () => {
    send.disabled = empty();
    tray.hidden = files.length === 0;
  };
  const grow = () => {
    text.style.height = "auto";
    text.style.height = `${Math.min(text.scrollHeight, MAX_HEIGHT)}px`;
    text.style.overflowY = text.scrollHeight > MAX_HEIGHT ? "auto" : "hidden";
  };

  function addFiles(list) {
    for (const file of list) {
      if (files.length >= MAX_FILES) {
        onProblem(t("tooManyFiles", { count: MAX_FILES }));
        break;
      }
      if (file.size > MAX_BYTES) {
        onProblem(t("tooLarge", { name: file.name, size: L.fileSize(MAX_BYTES) }));
        continue;
      }
      const url = URL.createObjectURL(file);
      files.push({ file, url });
      tray.append(chip(file, url));
    }
    refresh();
  }

  function chip(file, url) {
    const remove = h("button", { type: "button", class: "cw-chip__remove", "aria-label": t("remove", { name: file.name }) }, icon("close"));
    const li = h("li", { class: "cw-chip" },
      file.type.startsWith("image/") ? h("img", { class: "cw-chip__thumb", src: url, alt: "" }) : h("span", { class: "cw-chip__thumb" }, icon("file")),
      h("span", { class: "cw-chip__text" }, h("span", { class: "cw-chip__name", dir: "auto" }, file.name), h("span", { class: "cw-chip__size" }, L.fileSize(file.size))),
      remove);
    remove.addEventListener("click", () => {
      files = files.filter((f) => f.url !== url);
      URL.revokeObjectURL(url);
      li.remove();
      refresh();
      text.focus();
    });
    return li;
  }

  async function submit() {
    if (empty()) return;
    onStopTyping();
    if (!(await onSend(text.value.trim(), files))) return;
    files = [];
    tray.replaceChildren();
    text.value = "";
    grow();
    refresh();
    text.focus();
  }

  attach.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    addFiles([...input.files]);
    input.value = "";
    text.focus();
  });
  text.addEventListener("input", () => {
    grow();
    refresh();
    if (text.value.trim()) onTyping();
  });
  text.addEventListener("blur", () => onStopTyping());
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  text.addEventListener("paste", (event) => {
    const pasted = [...(event.clipboardData?.files ?? [])];
    if (!pasted.length) return;
    event.preventDefault();
    addFiles(pasted);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });

  return {
    el: form,
    addFiles,
    focus: () => text.focus(),
    setDisabled(disabled) {
      text.disabled = attach.disabled = disabled;
      send.disabled = disabled || empty();
    },
  };
}
