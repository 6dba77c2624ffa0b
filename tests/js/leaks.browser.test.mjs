// No leaks, in Chromium against the devserver: after a warm-up round and then two
// rounds of 1,000 ChatSession start/close cycles and 500 socket reconnects each, the
// WebAssembly memory has grown by at most one 64 KiB page (linear memory never
// shrinks: what is compared is its high-water mark, which the allocator's
// fragmentation settles during the warm-up; a leak of 32 bytes a cycle would grow it
// by a page), the JS heap after a forced GC is within 10 % of its warm level, and
// everything the SDK holds (timers, listeners, sockets, requests, promises, files:
// `diagnostics()`) is back to nothing. Prints the figures.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

let server, files, context, page;
before(async () => {
  server = await startDevserver();
  files = await startStatic();
  context = await launch(["--js-flags=--expose-gc"]);
  page = await context.newPage();
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
});
after(async () => {
  await context?.close();
  files?.stop();
  server?.stop();
});

test("2,000 start/close cycles and 1,000 reconnects after a warm-up leave memory and callbacks where they were", async () => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  const figures = await page.evaluate(async ({ pkg, baseUrl, inbox }) => {
    const sdk = await import(pkg);
    await sdk.init();
    const control = (method, path, body) =>
      fetch(`${baseUrl}/__devserver${path}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    const opened = (chat) =>
      chat.state === "open" ? Promise.resolve() : new Promise((resolve) => { const off = chat.on("state", (e) => e.state === "open" && (off(), resolve())); });
    const measure = async () => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 50));
      }
      const d = sdk.diagnostics();
      const callbacks = d.timers + d.listeners + d.sockets + d.calls + d.promises + d.files;
      return { wasm: d.wasmMemoryBytes, heap: performance.memory.usedJSHeapSize, callbacks, detail: d };
    };
    /** `n` sessions at a time: start, wait until subscribed, close. */
    const cycles = async (total, parallel) => {
      for (let done = 0; done < total; done += parallel) {
        await Promise.all(Array.from({ length: Math.min(parallel, total - done) }, async () => {
          const chat = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "memory" });
          await opened(chat);
          chat.close();
        }));
      }
    };
    /** `sessions` live sessions, every socket dropped `drops` times; each must come back. */
    const reconnects = async (sessions, drops) => {
      const chats = await Promise.all(Array.from({ length: sessions }, () => sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "memory" })));
      await Promise.all(chats.map(opened));
      // Counted from the sessions' own states: each `reconnecting` followed by `open`.
      let count = 0;
      for (const c of chats) {
        let lost = false;
        c.on("state", (e) => {
          if (e.state === "reconnecting") lost = true;
          else if (e.state === "open" && lost) {
            lost = false;
            count++;
          }
        });
      }
      for (let i = 0; i < drops; i++) {
        const lost = chats.map((c) => new Promise((resolve) => { const off = c.on("state", (e) => e.state === "reconnecting" && (off(), resolve())); }));
        await control("POST", "/sockets/drop", {});
        await Promise.all(lost);
        await Promise.all(chats.map(opened));
      }
      for (const c of chats) c.close();
      return count;
    };
    const t0 = performance.now();
    const round = async () => {
      await cycles(1000, 10);
      return reconnects(25, 20);
    };
    // The warm-up is a whole round at the same concurrency.
    await round();
    const warm = await measure();
    const reconnected = (await round()) + (await round());
    const end = await measure();
    return { warm, end, reconnected, seconds: Math.round((performance.now() - t0) / 1000) };
  }, { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inbox: identifier });

  const ratio = (a, b) => (b === 0 ? (a === 0 ? 1 : Infinity) : a / b);
  const report = {
    cycles: 2000,
    reconnects: figures.reconnected,
    wasmBytes: [figures.warm.wasm, figures.end.wasm],
    wasmRatio: +ratio(figures.end.wasm, figures.warm.wasm).toFixed(3),
    jsHeapBytes: [figures.warm.heap, figures.end.heap],
    jsHeapRatio: +ratio(figures.end.heap, figures.warm.heap).toFixed(3),
    liveCallbacks: [figures.warm.callbacks, figures.end.callbacks],
    seconds: figures.seconds,
  };
  console.log(`leak figures: ${JSON.stringify(report)}`);
  assert.equal(figures.reconnected, 1000);
  const grown = figures.end.wasm - figures.warm.wasm;
  assert.ok(grown <= 65536, `wasm memory grew ${grown} bytes (${report.wasmRatio}×)`);
  assert.ok(report.jsHeapRatio <= 1.1, `JS heap grew ${report.jsHeapRatio}×`);
  assert.deepEqual(figures.end.detail, { ...figures.warm.detail, wasmMemoryBytes: figures.end.wasm }, "nothing is held after close()");
  assert.equal(figures.end.callbacks, 0, JSON.stringify(figures.end.detail));
});
