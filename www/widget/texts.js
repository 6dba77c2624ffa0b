// Sentences the widget shows for what the SDK reports, in the widget's language (`t`).
import { sdk } from "./sdk.js";

const ERRORS = { network: "errorNetwork", timeout: "errorTimeout", rate_limited: "errorRateLimited", identity: "errorIdentity", not_found: "errorNotFound" };

/** A short, human sentence for a ChatwootError (its `code` says what happened). */
export function describe(error, t) {
  if (!sdk?.isChatwootError(error)) return t("errorGeneric");
  const key = ERRORS[error.code];
  // Validation messages come from the server, already readable (in its language).
  return key ? t(key) : error.message;
}

/** One line of a message for the launcher's peek. */
export function previewText(m, t) {
  if (m.content) return m.content.length > 140 ? `${m.content.slice(0, 140)}…` : m.content;
  if (m.attachments.length) return t("sentAttachment");
  if (m.contentType === "input_csat") return t("howDidWeDo");
  return t("newMessage");
}
