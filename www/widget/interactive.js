// Interactive messages an agent or bot sends (`content_attributes.items`), answered with
// `chat.submitReply` exactly as Chatwoot's own widget does:
//   input_select → [{ title, value }] of the chosen option
//   form         → [{ name, title, value }] per field
//   cards        → a "postback" action as [{ title, value: payload }]; "link" actions open
//   article      → links only, nothing to answer
// Once answered (`submitted_values` is set) the choice is shown and the controls are disabled.
import { h, icon, safeUrl } from "./dom.js";

export function renderInteractive(m, ctx) {
  const items = m.contentAttributes.items.filter((i) => i && typeof i === "object");
  const submitted = submittedValues(m);
  switch (m.contentType) {
    case "input_select":
      return options(m, items, submitted, ctx);
    case "form":
      return form(m, items, submitted, ctx);
    case "cards":
      return cards(m, items, submitted, ctx);
    default:
      return articles(items, ctx.L.t);
  }
}

function submittedValues(m) {
  const v = m.contentAttributes?.submitted_values ?? m.contentAttributes?.submittedValues;
  return Array.isArray(v) && v.length ? v : null;
}

const str = (v) => (v === null || v === undefined ? "" : typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v));

/** Disables `controls` while the answer is sent; re-enables them if it fails. */
async function answer(ctx, m, values, controls, chosen) {
  for (const c of controls) c.disabled = true;
  chosen?.classList.add("cw-busy");
  const ok = await ctx.submit(m, values);
  chosen?.classList.remove("cw-busy");
  if (!ok) for (const c of controls) c.disabled = false;
}

function options(m, items, submitted, ctx) {
  const picked = submitted?.[0];
  const group = h("div", { class: "cw-options", role: "group", "aria-label": ctx.L.t("chooseOption") });
  const buttons = items.map((item) => {
    const title = str(item.title ?? item.value);
    const isPicked = !!picked && (str(picked.value) === str(item.value) || (picked.value === undefined && str(picked.title) === title));
    const button = h("button", {
      type: "button", class: `cw-option${isPicked ? " cw-option--picked" : ""}`, dir: "auto",
      "aria-pressed": String(isPicked), disabled: !!submitted,
    }, isPicked ? icon("check") : null, title);
    button.addEventListener("click", () => answer(ctx, m, [{ title, value: item.value ?? title }], buttons, button));
    return button;
  });
  group.append(...buttons);
  if (submitted) group.classList.add("cw-answered");
  return group;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

function form(m, items, submitted, ctx) {
  const given = new Map((submitted ?? []).map((v) => [str(v.name), str(v.value)]));
  const el = h("form", { class: "cw-form", novalidate: true });
  const { t } = ctx.L;
  const fields = items.map((item, i) => field(t, item, i, m.id, submitted ? given.get(str(item.name)) ?? "" : str(item.default), !!submitted));
  el.append(...fields.map((f) => f.wrap));
  if (submitted) {
    el.append(h("p", { class: "cw-answered-note" }, icon("check"), t("submitted")));
    return el;
  }
  const button = h("button", { type: "submit", class: "cw-button cw-button--primary" }, t("submit"));
  el.append(button);
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    let firstBad = null;
    for (const f of fields) {
      const problem = f.check();
      if (problem && !firstBad) firstBad = f.input;
    }
    if (firstBad) return firstBad.focus();
    const values = fields.map((f) => ({ name: f.name, title: f.label, value: f.input.value.trim() }));
    answer(ctx, m, values, [button, ...fields.map((f) => f.input)], button);
  });
  return el;
}

function field(t, item, index, messageId, value, disabled) {
  const name = str(item.name) || `field${index}`;
  const label = str(item.label ?? item.name) || name;
  const id = `cw-f-${messageId}-${index}`;
  const type = str(item.type);
  const required = item.required !== false;
  let input;
  if (type === "text_area") input = h("textarea", { id, name, rows: "3", placeholder: str(item.placeholder) || null, value, disabled });
  else if (type === "select") {
    input = h("select", { id, name, disabled },
      h("option", { value: "" }, str(item.placeholder) || t("choose")),
      (Array.isArray(item.options) ? item.options : []).map((o) => h("option", { value: str(o?.value) }, str(o?.label ?? o?.value))));
    input.value = value;
  } else input = h("input", { id, name, type: type === "email" ? "email" : "text", placeholder: str(item.placeholder) || null, value, disabled, autocomplete: type === "email" ? "email" : "off" });
  const error = h("span", { class: "cw-field__error", id: `${id}-error`, "aria-live": "polite" });
  input.setAttribute("aria-describedby", error.id);
  const wrap = h("div", { class: "cw-field" }, h("label", { for: id, dir: "auto" }, label), input, error);
  const check = () => {
    const v = input.value.trim();
    let problem = "";
    if (required && !v) problem = t("required", { label });
    else if (type === "email" && v && !EMAIL.test(v)) problem = t("validEmail");
    error.textContent = problem;
    input.setAttribute("aria-invalid", String(!!problem));
    return problem;
  };
  input.addEventListener("input", () => input.getAttribute("aria-invalid") === "true" && check());
  return { wrap, input, check, name, label };
}

/** A card action's target: an http(s) URL, or a bare host ("example.com/x") as https. */
function linkTarget(uri) {
  const s = str(uri).trim();
  return safeUrl(s) ?? (/^[a-z0-9-]+(\.[a-z0-9-]+)+([/?#][^\s]*)?$/i.test(s) ? safeUrl(`https://${s}`) : null);
}

function cards(m, items, submitted, ctx) {
  const picked = submitted?.[0];
  const postbacks = [];
  const list = items.map((item) => {
    const media = safeUrl(item.media_url ?? item.mediaUrl);
    const actions = (Array.isArray(item.actions) ? item.actions : []).map((action) => {
      const text = str(action?.text) || ctx.L.t("open");
      if (action?.type === "link") {
        const href = linkTarget(action.uri);
        return href
          ? h("a", { class: "cw-card__action", href, target: "_blank", rel: "noopener noreferrer", dir: "auto" }, text, icon("external"))
          : h("span", { class: "cw-card__action cw-card__action--dead", dir: "auto" }, text);
      }
      const isPicked = !!picked && str(picked.value) === str(action?.payload);
      const button = h("button", { type: "button", class: `cw-card__action${isPicked ? " cw-option--picked" : ""}`, "aria-pressed": String(isPicked), disabled: !!submitted, dir: "auto" }, isPicked ? icon("check") : null, text);
      button.addEventListener("click", () => answer(ctx, m, [{ title: text, value: action?.payload ?? text }], postbacks, button));
      postbacks.push(button);
      return button;
    });
    return h("article", { class: "cw-card" },
      media ? h("img", { class: "cw-card__media", src: media, alt: "", loading: "lazy" }) : null,
      h("div", { class: "cw-card__body" },
        item.title ? h("h4", { class: "cw-card__title", dir: "auto" }, str(item.title)) : null,
        item.description ? h("p", { class: "cw-card__text", dir: "auto" }, str(item.description)) : null,
        actions.length ? h("div", { class: "cw-card__actions" }, actions) : null));
  });
  return h("div", { class: "cw-cards", role: "list" }, list.map((c) => (c.setAttribute("role", "listitem"), c)));
}

function articles(items, t) {
  return h("ul", { class: "cw-articles" }, items.map((item) => {
    const href = linkTarget(item.link ?? item.url);
    const title = str(item.title) || href || t("article");
    return h("li", { class: "cw-article" },
      href ? h("a", { href, target: "_blank", rel: "noopener noreferrer", class: "cw-article__title", dir: "auto" }, title, icon("external")) : h("span", { class: "cw-article__title", dir: "auto" }, title),
      item.description ? h("p", { class: "cw-article__text", dir: "auto" }, str(item.description)) : null);
  }));
}
