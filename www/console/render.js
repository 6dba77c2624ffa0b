// Rows of the agent console: a conversation in the list and a message in the log.
// Everything from the server is put in as text (or as an http(s) link), never as HTML.
import { h, safeUrl } from "../widget/dom.js";
import { fileNameFromUrl } from "../widget/format.js";

const TYPES = ["incoming", "outgoing", "activity", "template"];
const time = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const str = (v) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

export function conversationItem(c, selected, onSelect) {
  const last = [...(c.messages ?? [])].reverse().find((m) => m.message_type !== 2);
  const name = c.contact?.name || "Visitor";
  const button = h("button", { type: "button", class: "ac-item", "aria-current": selected ? "true" : null, onclick: () => onSelect(c.id) },
    h("span", { class: "ac-item-top" },
      h("span", { class: "ac-item-id" }, `#${c.id}`),
      h("span", { class: "ac-item-name", dir: "auto" }, name),
      h("span", { class: `ac-pill ac-pill--${c.status}` }, c.status)),
    h("span", { class: "ac-item-last", dir: "auto" },
      c.contactTyping === "on" ? h("em", {}, "typing…") : last ? `${last.message_type === 0 ? "" : "↩ "}${str(last.content) || (last.attachments?.length ? "📎 attachment" : `[${last.content_type}]`)}` : "no messages"));
  return h("li", {}, button);
}

/** `actions`: { status(id, s), remove(id) }. */
export function messageRow(m, contactName, actions) {
  const type = TYPES[m.message_type] ?? "unknown";
  const who = type === "incoming" ? contactName || "Visitor" : type === "activity" ? "System" : m.sender?.name ?? (type === "template" ? "Template" : "Agent");
  const badges = [
    type !== "incoming" && type !== "outgoing" ? badge(type) : null,
    m.content_type && m.content_type !== "text" ? badge(m.content_type, "kind") : null,
    m.private ? badge("private note", "private") : null,
    m.content_attributes?.deleted ? badge("deleted", "private") : null,
    m.status ? badge(m.status, `status-${m.status}`) : null,
    m.echoId ? h("span", { class: "ac-echo", title: "echo_id" }, `echo ${m.echoId}`) : null,
  ];
  const row = h("li", { class: `ac-msg ac-msg--${type}${m.private ? " ac-msg--private" : ""}`, dataset: { id: String(m.id) } },
    h("div", { class: "ac-msg-head" },
      h("b", { dir: "auto" }, who), h("span", { class: "ac-msg-id" }, `#${m.id}`), badges,
      h("time", {}, m.created_at ? time.format(m.created_at * 1000) : "")),
    m.content ? h("div", { class: "ac-msg-body", dir: "auto" }, str(m.content)) : null,
    details(m));
  if (type !== "activity" && !m.content_attributes?.deleted) {
    const bar = h("div", { class: "ac-msg-actions" });
    if (type === "incoming") {
      for (const s of ["delivered", "read", "failed"]) bar.append(h("button", { type: "button", onclick: () => actions.status(m.id, s), disabled: m.status === s }, s));
    }
    bar.append(h("button", { type: "button", class: "ac-danger", onclick: () => actions.remove(m.id) }, "delete"));
    row.append(bar);
  }
  return row;
}

function badge(text, kind = "type") {
  return h("span", { class: `ac-badge ac-badge--${kind}` }, text);
}

/** Items, answers and files of a message, as text. */
function details(m) {
  const attrs = m.content_attributes ?? {};
  const lines = [];
  if (Array.isArray(attrs.items)) {
    lines.push(h("div", { class: "ac-items" }, attrs.items.map((i) => h("span", { class: "ac-item-chip", dir: "auto" }, str(i?.title ?? i?.label ?? i?.name)))));
  }
  const answer = attrs.submitted_values;
  if (Array.isArray(answer) && answer.length) {
    lines.push(h("div", { class: "ac-answer", dir: "auto" }, "Answered: ", answer.map((v) => `${str(v.title ?? v.name)} = ${str(v.value)}`).join(" · ")));
  } else if (answer?.csat_survey_response) {
    const r = answer.csat_survey_response;
    lines.push(h("div", { class: "ac-answer", dir: "auto" }, `Rated ${str(r.rating)}/5`, r.feedback_message ? ` — “${str(r.feedback_message)}”` : ""));
  }
  for (const a of m.attachments ?? []) {
    const url = safeUrl(a.data_url);
    const label = `${a.file_type}: ${url ? fileNameFromUrl(url) : "file"} (${a.file_size ?? "?"} B)`;
    lines.push(url ? h("a", { class: "ac-file", href: url, target: "_blank", rel: "noopener noreferrer" }, label) : h("span", { class: "ac-file" }, label));
  }
  return lines.length ? h("div", { class: "ac-msg-extra" }, lines) : null;
}
