// The ChatSession flows of flows/session-flows.mjs in Chromium against the devserver
// (cross-origin), with the browser's own WebSocket (gloo-net's socket in the SDK): every
// flow with real `localStorage`, then every flow with `sessionStorage`, then every flow
// with an async custom storage (each method answers a promise, a macrotask later).
// A failed check in the page fails its test here with the check's message.
import { test } from "node:test";
import { useServers } from "./suite.mjs";
import { flows } from "./flows/session-flows.mjs";

let server, files, context;
useServers((s) => ({ server, files, context } = s));

/** A page with the SDK loaded and `globalThis.runFlow(name)` using storage `kind`. */
async function page(kind) {
  const p = await context.newPage();
  await p.goto(`${files.url}/tests/js/pages/blank.html`);
  await p.evaluate(
    async ({ pkg, flowsUrl, baseUrl, kind }) => {
      const sdk = await import(pkg);
      await sdk.init();
      const { environment, flows } = await import(flowsUrl);
      const asyncMap = new Map();
      const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 0));
      const storages = {
        local: ["local", () => Object.values(localStorage)],
        session: ["session", () => Object.values(sessionStorage)],
        async: [
          {
            getItem: (k) => later(asyncMap.has(k) ? asyncMap.get(k) : null),
            setItem: (k, v) => later(void asyncMap.set(k, String(v))),
            removeItem: (k) => later(void asyncMap.delete(k)),
          },
          () => later([...asyncMap.values()]),
        ],
      };
      const [storage, storedValues] = storages[kind];
      const env = environment({ ChatSession: sdk.ChatSession, baseUrl, storage, storedValues });
      globalThis.runFlow = async (name) => {
        try {
          await flows.find((f) => f.name === name).run(env);
        } finally {
          await env.cleanup();
        }
      };
    },
    { pkg: `${files.url}/pkg/index.js`, flowsUrl: `${files.url}/tests/js/flows/session-flows.mjs`, baseUrl: server.url, kind },
  );
  return p;
}

const pages = {};
for (const kind of ["local", "session", "async"]) {
  for (const flow of flows) {
    test(`[${kind} storage] ${flow.name}`, async () => {
      pages[kind] ??= await page(kind);
      await pages[kind].evaluate((name) => globalThis.runFlow(name), flow.name);
    });
  }
}
