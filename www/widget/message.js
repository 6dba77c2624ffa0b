// One message as a list row: the bubble (text, linkified), its attachments, interactive
// parts, time and delivery status, and, for a send in flight, the upload progress bar
// or, when it failed, a Retry button; when it waits in the outbox, a Discard button.
import { h, icon, safeUrl } from "./dom.js";
import { linkify } from "./linkify.js";
import { fileNameFromUrl, hueFor, initials } from "./format.js";

/** "mine" (the visitor), "agent" (agent, bot, template), or "activity" (system line). */
export function sideOf(m) {
  if (m.messageType === "incoming") return "mine";
  if (m.messageType === "activity") return "activity";
  return "agent";
}

/** Who wrote it, for grouping consecutive bubbles. */
export function authorKey(m) {
  const side = sideOf(m);
  if (side !== "agent") return side;
  return m.sender ? `${m.sender.kind}:${m.sender.id}` : "system";
}

export function senderName(m, t) {
  return m.sender?.availableName || m.sender?.name || t(m.sender?.kind === "agent_bot" ? "bot" : "support");
}

/**
 * The row's content. `ctx`: { submit(message, values), retry(echoId), discard(echoId),
 * openImage(url, alt), previews(echoId) → [{ url, name, size, type }], extras() → the
 * widget-extras.js module once loaded (else null: asking loads it), L (the language) }.
 */
export function renderMessage(m, ctx) {
  const { t } = ctx.L;
  const side = sideOf(m);
  if (side === "activity") return h("div", { class: "cw-activity", dir: "auto" }, m.content ?? "");
  if (m.contentType === "input_csat" && !m.deleted) return [ctx.extras()?.renderCsat(m, ctx) ?? later()].flat();

  const parts = [];
  if (side === "agent") parts.push(h("div", { class: "cw-sender" }, senderName(m, t)));
  const text = m.deleted ? t("deleted") : m.content ?? "";
  if (text) parts.push(h("div", { class: `cw-bubble${m.deleted ? " cw-bubble--deleted" : ""}`, part: "bubble", dir: "auto" }, m.deleted ? text : linkify(text)));
  if (!m.deleted) {
    const files = renderAttachments(m, ctx);
    if (files) parts.push(files);
    if (hasInteractive(m)) parts.push(ctx.extras()?.renderInteractive(m, ctx) ?? later());
  }
  if (m.status === "sending" && m.attachments.length) parts.push(progressBar(t));
  parts.push(meta(m, ctx.L));
  if (m.status === "failed") {
    parts.push(h("div", { class: "cw-failed", role: "alert" },
      icon("alert"), t("notDelivered"),
      h("button", { type: "button", class: "cw-retry", onclick: () => ctx.retry(m.echoId) }, icon("retry"), t("retry"))));
  }
  if (m.status === "queued") {
    // In the outbox: it goes by itself when the connection returns (also after a reload).
    parts.push(h("div", { class: "cw-queued", role: "status" },
      icon("clock"), t("waitingConnection"),
      h("button", { type: "button", class: "cw-retry", onclick: () => ctx.discard(m.echoId) }, icon("close"), t("discard"))));
  }
  const stack = h("div", { class: "cw-stack" }, parts);
  return side === "agent" ? [avatar(m, t), stack] : [stack];
}

const KINDS = new Set(["input_select", "form", "cards", "article"]);

/** Options, a form, cards or articles (rendered by widget-extras.js). */
export function hasInteractive(m) {
  return KINDS.has(m.contentType) && Array.isArray(m.contentAttributes?.items);
}

/** What stands for an interactive message or a survey while widget-extras.js loads. */
const later = () => h("div", { class: "cw-later" }, h("span", { class: "cw-spinner", "aria-hidden": "true" }));

/** An agent's picture (http(s) only) or initials on a colour of their name. */
export function avatar(m, t) {
  const name = senderName(m, t);
  const url = safeUrl(m.sender?.avatarUrl);
  const el = h("div", { class: "cw-avatar", style: { "--hue": String(hueFor(name)) }, "aria-hidden": "true" });
  if (url) el.append(h("img", { src: url, alt: "", loading: "lazy" }));
  else el.append(initials(name));
  return el;
}

function meta(m, L) {
  const el = h("div", { class: "cw-meta" });
  if (m.createdAt) el.append(h("time", { datetime: new Date(m.createdAt).toISOString() }, L.time(m.createdAt)));
  if (sideOf(m) === "mine") el.append(statusIcon(m.status, L.t));
  return el;
}

const STATUS = {
  sending: ["clock", "sending"],
  sent: ["check", "sent"],
  delivered: ["checks", "delivered"],
  read: ["checks", "read"],
  failed: ["alert", "notDelivered"],
  queued: ["clock", "waitingToSend"],
};

function statusIcon(status, t) {
  const [name, key] = STATUS[status] ?? STATUS.sent;
  const label = t(key);
  return h("span", { class: `cw-status cw-status--${status ?? "sent"}`, role: "img", "aria-label": label, title: label }, icon(name));
}

function progressBar(t) {
  // Indeterminate until the first message.progress event says how far it is.
  return h("div", { class: "cw-progress", role: "progressbar", "aria-label": t("uploading"), "aria-valuemin": "0", "aria-valuemax": "100" },
    h("div", { class: "cw-progress__bar" }));
}

/** Updates a row's progress bar in place (message.progress events come many times a second). */
export function setProgress(row, loaded, total, t) {
  const bar = row?.querySelector(".cw-progress");
  if (!bar || !(total > 0)) return;
  const pct = Math.max(0, Math.min(100, Math.round((loaded / total) * 100)));
  bar.classList.add("cw-progress--known");
  bar.setAttribute("aria-valuenow", String(pct));
  bar.setAttribute("aria-valuetext", t("uploaded", { percent: pct }));
  bar.firstElementChild.style.width = `${pct}%`;
}

function renderAttachments(m, ctx) {
  if (!m.attachments.length) return null;
  // A send in flight shows the visitor's own files (kept by the composer) until the
  // server's copies replace them.
  const local = m.status === "sending" || m.status === "failed" || m.status === "queued" ? ctx.previews(m.echoId) : null;
  const items = m.attachments.map((a, i) => (local?.[i] ? localAttachment(local[i], ctx) : serverAttachment(a, ctx)));
  return h("div", { class: "cw-attachments" }, items);
}

function serverAttachment(a, ctx) {
  const full = safeUrl(a.dataUrl);
  const thumb = safeUrl(a.thumbUrl) ?? full;
  const name = full ? fileNameFromUrl(full) : ctx.L.t("file");
  if (a.fileType === "image" && thumb) return imageThumb(thumb, full ?? thumb, name, ctx);
  if (a.fileType === "video" && full) return h("video", { class: "cw-media", src: full, controls: true, preload: "metadata" });
  if (a.fileType === "audio" && full) return h("audio", { class: "cw-audio", src: full, controls: true, preload: "metadata" });
  return fileChip(name, ctx.L.fileSize(a.fileSize), full);
}

function localAttachment(file, ctx) {
  if (file.type.startsWith("image/")) return imageThumb(file.url, file.url, file.name, ctx);
  return fileChip(file.name, ctx.L.fileSize(file.size), null);
}

function imageThumb(src, full, name, ctx) {
  return h("button", { type: "button", class: "cw-thumb", "aria-label": ctx.L.t("openImage", { name }), onclick: () => ctx.openImage(full, name) },
    h("img", { src, alt: name, loading: "lazy", decoding: "async" }));
}

function fileChip(name, size, href) {
  const body = [icon("file"), h("span", { class: "cw-file__text" }, h("span", { class: "cw-file__name", dir: "auto" }, name), h("span", { class: "cw-file__size" }, size))];
  return href
    ? h("a", { class: "cw-file", href, target: "_blank", rel: "noopener noreferrer" }, body)
    : h("span", { class: "cw-file" }, body);
}
