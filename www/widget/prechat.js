// The pre-chat form shown before a visitor's first conversation: name and email
// (validated here, then by the server), then the conversation starts.
import { h, icon } from "./dom.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** `onSubmit({ name, email })` resolves true when the conversation started. */
export function createPrechat({ inboxName, name = "", email = "", onSubmit, t }) {
  const nameField = field("name", t("yourName"), "text", name, "name", t("namePlaceholder"));
  const emailField = field("email", t("email"), "email", email, "email", t("emailPlaceholder"));
  const button = h("button", { type: "submit", class: "cw-button cw-button--primary cw-button--block" }, t("startConversation"), icon("send"));
  const form = h("form", { class: "cw-prechat", novalidate: true, "aria-labelledby": "cw-prechat-title" },
    h("div", { class: "cw-prechat__hello", "aria-hidden": "true" }, icon("chat")),
    h("h3", { class: "cw-prechat__title", id: "cw-prechat-title" }, t("prechatTitle")),
    h("p", { class: "cw-prechat__text" }, t("prechatText", { inbox: inboxName })),
    nameField.wrap, emailField.wrap, button);

  function validate() {
    const bad = [];
    if (!nameField.input.value.trim()) bad.push(nameField.fail(t("nameMissing")));
    else nameField.fail("");
    const mail = emailField.input.value.trim();
    if (!mail) bad.push(emailField.fail(t("emailMissing")));
    else if (!EMAIL.test(mail)) bad.push(emailField.fail(t("emailInvalid")));
    else emailField.fail("");
    return bad.filter(Boolean)[0] ?? null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const bad = validate();
    if (bad) return bad.focus();
    button.disabled = true;
    button.classList.add("cw-busy");
    const ok = await onSubmit({ name: nameField.input.value.trim(), email: emailField.input.value.trim() });
    button.disabled = false;
    button.classList.remove("cw-busy");
    if (!ok) emailField.input.focus();
  });
  for (const f of [nameField, emailField]) f.input.addEventListener("input", () => f.input.getAttribute("aria-invalid") === "true" && validate());

  return { el: form, focus: () => (nameField.input.value ? emailField.input : nameField.input).focus() };
}

function field(name, label, type, value, autocomplete, placeholder) {
  const id = `cw-prechat-${name}`;
  const error = h("span", { class: "cw-field__error", id: `${id}-error` });
  const input = h("input", { id, name, type, value, autocomplete, placeholder, required: true, "aria-describedby": error.id, "aria-invalid": "false" });
  const wrap = h("div", { class: "cw-field" }, h("label", { for: id }, label), input, error);
  return {
    wrap,
    input,
    fail(message) {
      error.textContent = message;
      input.setAttribute("aria-invalid", String(!!message));
      return message ? input : null;
    },
  };
}
