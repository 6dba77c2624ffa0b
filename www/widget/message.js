// One message as a list row: the bubble (text, linkified), its attachments, interactive
// parts, time and delivery status, and, for a send in flight, the upload progress bar
// or, when it failed, a Retry button; when it waits in the outbox, a Discard button.
import { h, icon, safeUrl } from "./dom.js";
import { linkify } from "./linkify.js";
import { fileNameFromUrl, fileSize, hueFor, initials, timeLabel } from "./format.js";
import { renderInteractive, hasInteractive } from "./interactive.js";
import { renderCsat } from "./csat.js";

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

export function senderName(m) {
  return m.sender?.availableName || m.sender?.name || (m.sender?.kind === "agent_bot" ? "Bot" : "Support");
}

/**
 * The row's content. `ctx`: { submit(message, values), retry(echoId), openImage(url, alt),
 * previews(echoId) → [{ url, name, size, type }] }.
 */
export function renderMessage(m, ctx) {
  const side = sideOf(m);
  if (side === "activity") return h("div", { class: "cw-activity", dir: "auto" }, m.content ?? "");
  if (m.contentType === "input_csat" && !m.deleted) return renderCsat(m, ctx);

  const parts = [];
  if (side === "agent") parts.push(h("div", { class: "cw-sender" }, senderName(m)));
  const text = m.deleted ? "This message was deleted" : m.content ?? "";
  if (text) parts.push(h("div", { class: `cw-bubble${m.deleted ? " cw-bubble--deleted" : ""}`, part: "bubble", dir: "auto" }, m.deleted ? text : linkify(text)));
  if (!m.deleted) {
    const files = renderAttachments(m, ctx);
    if (files) parts.push(files);
    if (hasInteractive(m)) parts.push(renderInteractive(m, ctx));
  }
  if (m.status === "sending" && m.attachments.length) parts.push(progressBar());
  parts.push(meta(m));
  if (m.status === "failed") {
    parts.push(h("div", { class: "cw-failed", role: "alert" },
      icon("alert"), "Not delivered",
      h("button", { type: "button", class: "cw-retry", onclick: () => ctx.retry(m.echoId) }, icon("retry"), "Retry")));
  }
  if (m.status === "queued") {
    // In the outbox: it goes by itself when the connection returns (also after a reload).
    parts.push(h("div", { class: "cw-queued", role: "status" },
      icon("clock"), "Waiting for a connection",
      h("button", { type: "button", class: "cw-retry", onclick: () => ctx.discard(m.echoId) }, icon("close"), "Discard")));
  }
  const stack = h("div", { class: "cw-stack" }, parts);
  return side === "agent" ? [avatar(m), stack] : [stack];
}

/** An agent's picture (http(s) only) or initials on a colour of their name. */
export function avatar(m) {
  const name = senderName(m);
  const url = safeUrl(m.sender?.avatarUrl);
  const el = h("div", { class: "cw-avatar", style: { "--hue": String(hueFor(name)) }, "aria-hidden": "true" });
  if (url) el.append(h("img", { src: url, alt: "", loading: "lazy" }));
  else el.append(initials(name));
  return el;
}

function meta(m) {
  const el = h("div", { class: "cw-meta" });
  if (m.createdAt) el.append(h("time", { datetime: new Date(m.createdAt).toISOString() }, timeLabel(m.createdAt)));
  if (sideOf(m) === "mine") el.append(statusIcon(m.status));
  return el;
}

const STATUS = {
  sending: ["clock", "Sending"],
  sent: ["check", "Sent"],
  delivered: ["checks", "Delivered"],
  read: ["checks", "Read"],
  failed: ["alert", "Not delivered"],
  queued: ["clock", "Waiting to send"],
};

function statusIcon(status) {
  const [name, label] = STATUS[status] ?? STATUS.sent;
  return h("span", { class: `cw-status cw-status--${status ?? "sent"}`, role: "img", "aria-label": label, title: label }, icon(name));
}

function progressBar() {
  // Indeterminate until the first message.progress event says how far it is.
  return h("div", { class: "cw-progress", role: "progressbar", "aria-label": "Uploading", "aria-valuemin": "0", "aria-valuemax": "100" },
    h("div", { class: "cw-progress__bar" }));
}

/** Updates a row's progress bar in place (message.progress events come many times a second). */
export function setProgress(row, loaded, total) {
  const bar = row?.querySelector(".cw-progress");
  if (!bar || !(total > 0)) return;
  const pct = Math.max(0, Math.min(100, Math.round((loaded / total) * 100)));
  bar.classList.add("cw-progress--known");
  bar.setAttribute("aria-valuenow", String(pct));
  bar.setAttribute("aria-valuetext", `${pct}% uploaded`);
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
  const name = full ? fileNameFromUrl(full) : "file";
  if (a.fileType === "image" && thumb) return imageThumb(thumb, full ?? thumb, name, ctx);
  if (a.fileType === "video" && full) return h("video", { class: "cw-media", src: full, controls: true, preload: "metadata" });
  if (a.fileType === "audio" && full) return h("audio", { class: "cw-audio", src: full, controls: true, preload: "metadata" });
  return fileChip(name, a.fileSize, full);
}

function localAttachment(file, ctx) {
  if (file.type.startsWith("image/")) return imageThumb(file.url, file.url, file.name, ctx);
  return fileChip(file.name, file.size, null);
}

function imageThumb(src, full, name, ctx) {
  return h("button", { type: "button", class: "cw-thumb", "aria-label": `Open image ${name}`, onclick: () => ctx.openImage(full, name) },
    h("img", { src, alt: name, loading: "lazy", decoding: "async" }));
}

function fileChip(name, size, href) {
  const body = [icon("file"), h("span", { class: "cw-file__text" }, h("span", { class: "cw-file__name", dir: "auto" }, name), h("span", { class: "cw-file__size" }, fileSize(size)))];
  return href
    ? h("a", { class: "cw-file", href, target: "_blank", rel: "noopener noreferrer" }, body)
    : h("span", { class: "cw-file" }, body);
}
