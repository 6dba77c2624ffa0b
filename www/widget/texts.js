// Sentences the widget shows for what the SDK reports.
import { sdk } from "./sdk.js";

/** A short, human sentence for a ChatwootError (its `code` says what happened). */
export function describe(error) {
  if (!sdk?.isChatwootError(error)) return "Something went wrong. Please try again.";
  switch (error.code) {
    case "network":
      return "Can't reach the chat server. Check your connection.";
    case "timeout":
      return "The chat server took too long to answer.";
    case "rate_limited":
      return "Too many requests. Please wait a moment.";
    case "identity":
      return "We couldn't confirm who you are. Please sign in again.";
    case "not_found":
      return "This chat is not available (unknown inbox or conversation).";
    default:
      return error.message; // validation messages come from the server, already readable
  }
}

/** One line of a message for the launcher's peek. */
export function previewText(m) {
  if (m.content) return m.content.length > 140 ? `${m.content.slice(0, 140)}…` : m.content;
  if (m.attachments.length) return "Sent an attachment";
  if (m.contentType === "input_csat") return "How did we do?";
  return "New message";
}
