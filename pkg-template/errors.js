// The SDK's one error class. Every failure of the package rejects with a ChatwootError
// whose `code` says what went wrong (see the README's error table).

/** @type {readonly string[]} */
const CODES = [
  "network", "timeout", "aborted", "unauthorized", "forbidden", "not_found", "validation",
  "rate_limited", "identity", "http", "decode", "invalid_argument", "not_initialized", "closed", "listener",
];

export class ChatwootError extends Error {
  constructor(code, message, extra) {
    super(message);
    this.name = "ChatwootError";
    this.code = CODES.includes(code) ? code : "http";
    if (extra && typeof extra === "object") {
      for (const key of ["status", "body", "attributes", "retryAfterMs"]) {
        if (extra[key] !== undefined && extra[key] !== null) this[key] = extra[key];
      }
    }
  }
}

/** True for any ChatwootError, also one from another copy of the package. */
export function isChatwootError(value) {
  return value instanceof ChatwootError ||
    (value instanceof Error && value.name === "ChatwootError" && CODES.includes(value.code));
}
