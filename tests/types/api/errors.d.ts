/** What went wrong; see the README's error table. */
export type ChatwootErrorCode =
  | "network" | "timeout" | "aborted" | "unauthorized" | "forbidden" | "not_found"
  | "validation" | "rate_limited" | "identity" | "http" | "decode" | "invalid_argument"
  | "not_initialized" | "closed" | "listener";

/** Every failure of the package rejects with this class. */
export class ChatwootError extends Error {
  private constructor(code: ChatwootErrorCode, message: string, extra?: object);
  readonly name: "ChatwootError";
  /** What went wrong. */
  readonly code: ChatwootErrorCode;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** The answer's body, cut to 2 KB (`http`, `decode`). */
  readonly body?: string;
  /** Attributes the server named (`validation`). */
  readonly attributes?: string[];
  /** How long the server asked to wait (`rate_limited`), when it said. */
  readonly retryAfterMs?: number;
}

/** True for any `ChatwootError`, also one from another copy of the package. */
export function isChatwootError(value: unknown): value is ChatwootError;
