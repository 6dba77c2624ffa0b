// The satisfaction survey Chatwoot posts when a conversation is resolved (`input_csat`):
// a 1–5 rating (faces, or stars when the inbox says `display_type: "star"`), sent as soon
// as it is picked, then an optional comment; answered through
// `chat.submitReply(…, { csatSurveyResponse: { rating, feedbackMessage } })`.
import { h, icon } from "./dom.js";

// Chatwoot's emoji scale, drawn as SVG faces so it looks the same on every system
// (whatever emoji font it has, or none).
const SCALE = [
  [1, "#e5484d", "M8 16.8q4-3.6 8 0"],
  [2, "#f76b15", "M8.5 16.2q3.5-1.8 7 0"],
  [3, "#e2a400", "M8.5 15.5h7"],
  [4, "#6bb83a", "M8.5 14.3q3.5 2.8 7 0"],
  [5, "#2f9e67", "M7.6 13.4h8.8a4.4 4.4 0 0 1-8.8 0z"],
];
const SVG = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function face(mouth, open) {
  const svg = svgEl("svg", { viewBox: "0 0 24 24", class: "cw-face", "aria-hidden": "true", focusable: "false" });
  svg.append(
    svgEl("circle", { class: "cw-face__head", cx: "12", cy: "12", r: "10" }),
    svgEl("circle", { class: "cw-face__eye", cx: "8.7", cy: "9.8", r: "1.3" }),
    svgEl("circle", { class: "cw-face__eye", cx: "15.3", cy: "9.8", r: "1.3" }),
    svgEl("path", { class: `cw-face__mouth${open ? " cw-face__mouth--open" : ""}`, d: mouth }));
  return svg;
}

// Comments being typed, by message id: a re-render of the card must not lose them.
const drafts = new Map();

export function renderCsat(m, ctx) {
  const { t } = ctx.L;
  const response = m.contentAttributes?.submitted_values?.csat_survey_response ?? null;
  const rating = Number(response?.rating) || null;
  const feedback = typeof response?.feedback_message === "string" ? response.feedback_message : "";
  const stars = m.contentAttributes?.display_type === "star";

  const done = !!(rating && feedback);
  const title = done ? t("csatDone") : rating ? t("csatThanks") : m.content || t("csatTitle");
  const scale = h("div", { class: `cw-csat__scale${stars ? " cw-csat__scale--stars" : ""}`, role: "radiogroup", "aria-label": t("yourRating") });
  const buttons = SCALE.map(([value, colour, mouth]) => {
    const label = t(`csat${value}`);
    const on = rating !== null && (stars ? value <= rating : value === rating);
    const button = h("button", {
      type: "button", role: "radio", class: `cw-csat__choice${on ? " cw-csat__choice--on" : ""}`,
      "aria-checked": String(rating === value), "aria-label": `${value} – ${label}`, title: label, disabled: rating !== null,
      style: { "--face": colour },
    }, stars ? icon("star") : face(mouth, value === 5));
    button.addEventListener("click", async () => {
      for (const b of buttons) b.disabled = true;
      button.classList.add("cw-csat__choice--on", "cw-busy");
      const ok = await ctx.submit(m, { csatSurveyResponse: { rating: value } });
      if (!ok) {
        button.classList.remove("cw-csat__choice--on", "cw-busy");
        for (const b of buttons) b.disabled = false;
      }
    });
    return button;
  });
  scale.append(...buttons);

  const card = h("div", { class: "cw-csat", role: "group", "aria-label": t("csatSurvey") },
    h("p", { class: `cw-csat__title${rating ? " cw-csat__title--thanks" : ""}`, dir: "auto" }, rating ? icon("check") : null, title), scale);
  if (done) {
    drafts.delete(m.id);
    card.append(h("blockquote", { class: "cw-csat__quote", dir: "auto" }, feedback));
  } else if (rating) {
    card.append(feedbackForm(m, rating, ctx));
  }
  return [card];
}

function feedbackForm(m, rating, ctx) {
  const input = h("textarea", { class: "cw-csat__input", rows: "2", placeholder: ctx.L.t("tellUsMore"), "aria-label": ctx.L.t("yourFeedback"), value: drafts.get(m.id) ?? "" });
  const send = h("button", { type: "submit", class: "cw-button cw-button--primary", disabled: !input.value.trim() }, ctx.L.t("sendFeedback"));
  input.addEventListener("input", () => {
    drafts.set(m.id, input.value);
    send.disabled = !input.value.trim();
  });
  const form = h("form", { class: "cw-csat__form" }, input, send);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const feedbackMessage = input.value.trim();
    if (!feedbackMessage) return;
    send.disabled = input.disabled = true;
    const ok = await ctx.submit(m, { csatSurveyResponse: { rating, feedbackMessage } });
    if (!ok) send.disabled = input.disabled = false;
  });
  return form;
}
