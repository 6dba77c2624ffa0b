// Waiting for what a ChatSession reports, in tests.

/** Resolves with the first event of `type` that satisfies `pred`; rejects after `ms`. */
export function next(chat, type, pred = () => true, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event within ${ms} ms`));
    }, ms);
    const off = chat.on(type, (e) => {
      if (pred(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

/** Polls `pred` (which may be async) until it holds; throws after `ms`. */
export async function until(pred, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await sleep(50);
  }
  throw new Error("condition not met in time");
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
