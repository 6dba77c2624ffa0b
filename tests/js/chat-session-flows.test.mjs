// The ChatSession flows of flows/session-flows.mjs in Node against the devserver, with
// `ws` as the WebSocket and a map-backed custom storage: history paging, failed sends
// and retry (including a send the server stored although its answer was lost),
// throttled typing and debounced read receipts as requests on the wire, resolve,
// interactive replies, presence, the snapshot contract, server restarts, reset(),
// identify()/reset() races, catch-up (also of a conversation never read), a stored
// session resumed and healed. The same flows run in Chromium in
// session-flows.browser.test.mjs.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ChatSession } from "../../pkg/node.js";
import { startDevserver } from "./devserver.mjs";
import { environment, flows } from "./flows/session-flows.mjs";
import { same } from "./flows/check.mjs";

let server, env, map;
before(async () => {
  server = await startDevserver();
  map = new Map();
  const storage = {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
  env = environment({ ChatSession, baseUrl: server.url, storage, storedValues: () => [...map.values()], WebSocket });
});
afterEach(() => env.cleanup());
after(() => server?.stop());

for (const flow of flows) test(flow.name, () => flow.run(env));

test("the flows' deep equality agrees with node's deepStrictEqual", () => {
  const pairs = [
    [{ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] }],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [{ a: 1 }, { a: 1, b: undefined }],
    [[1, 2], [2, 1]],
    [[1], { 0: 1, length: 1 }],
    [{ a: "1" }, { a: 1 }],
    [NaN, NaN],
    [null, {}],
    [[], []],
    [{ a: { b: { c: [null] } } }, { a: { b: { c: [undefined] } } }],
  ];
  for (const [a, b] of pairs) {
    let node = true;
    try {
      assert.deepStrictEqual(a, b);
    } catch {
      node = false;
    }
    assert.equal(same(a, b), node, JSON.stringify([a, b]));
  }
});
