// Assertions that run the same in Node and in a browser page (node:assert exists only
// in Node): what the shared session flows (session-flows.mjs) check with.

export class CheckFailed extends Error {}

const show = (v) => {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
};

function fail(message, actual, expected) {
  const detail = arguments.length > 1 ? `\n  actual:   ${show(actual)}\n  expected: ${show(expected)}` : "";
  throw new CheckFailed(`${message ?? "check failed"}${detail}`);
}

/** Structural equality as node's deepStrictEqual sees plain data: same prototypes, same
 * own enumerable keys (in any order), equal values; primitives by `Object.is`. */
export function same(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
}

export const check = {
  ok(value, message) {
    if (!value) fail(message ?? `expected a truthy value, got ${show(value)}`);
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(message, actual, expected);
  },
  notEqual(actual, unexpected, message) {
    if (Object.is(actual, unexpected)) fail(message ?? `expected anything but ${show(unexpected)}`);
  },
  deepEqual(actual, expected, message) {
    if (!same(actual, expected)) fail(message, actual, expected);
  },
  /** `promise` must reject with an error `pred` accepts. */
  async rejects(promise, pred, message) {
    let error;
    try {
      await promise;
    } catch (e) {
      error = e;
    }
    if (error === undefined) fail(message ?? "expected a rejection, it resolved");
    if (!pred(error)) fail(message ?? `rejected with the wrong error: ${error?.code ?? error}`);
  },
};
