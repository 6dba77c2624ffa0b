// `make bench`: what the SDK costs a page, each figure measured side by side with the
// browser's own way of doing the same thing, in the same page and run (medians over
// rounds). Runs headless Chromium against a release devserver; prints one table and
// writes bench-output/bench.json and bench-output/bench.png (a chart of the ratios).
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { cpus, totalmem } from "node:os";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startDevserver } from "../tests/js/devserver.mjs";
import { startStatic } from "../tests/js/static.mjs";
import { launch } from "../tests/js/browser.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const out = `${root}bench-output`;
const KB = 1024;

const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function sizes() {
  const wasm = readFileSync(`${root}pkg/chatwoot_inbox_sdk_bg.wasm`);
  const glue = readFileSync(`${root}pkg/index.js`);
  const classic = readFileSync(`${root}pkg/chatwoot-inbox.js`);
  return {
    raw: wasm.length + glue.length,
    gzip: gz(wasm) + gz(glue),
    brotli: br(wasm) + br(glue),
    wasmGzip: gz(wasm),
    glueGzip: gz(glue),
    classicGzip: gz(classic),
    // The drop-in widget's own JS and CSS (the SDK is index.js, counted above): what
    // every page loads (English built in), and what only some load, when first needed:
    // the interactive messages and survey, a locale table other than English.
    widgetGzip: gz(readFileSync(`${root}pkg/widget.js`)),
    extrasGzip: gz(readFileSync(`${root}pkg/widget-extras.js`)),
    localeGzip: Math.max(...readdirSync(`${root}pkg/locales`).filter((f) => f !== "en.js").map((f) => gz(readFileSync(`${root}pkg/locales/${f}`)))),
  };
}

const rows = [];
function row(id, name, value, baseline, unit, target, extra = {}) {
  const ratio = baseline ? value / baseline : null;
  const measured = unit === "ratio" ? ratio : value;
  const pass = target === null ? null : measured <= target;
  rows.push({ id, name, value, baseline, unit, ratio, target, pass, ...extra });
}

const server = await startDevserver();
const files = await startStatic();
const context = await launch(["--js-flags=--expose-gc"]);
const t0 = Date.now();
try {
  const s = sizes();
  row("P1", "wasm + JS glue (ESM), gzip", s.gzip, null, "bytes", 85 * KB, { raw: s.raw, brotli: s.brotli, wasmGzip: s.wasmGzip, glueGzip: s.glueGzip });
  row("P1", "classic single file, gzip", s.classicGzip, null, "bytes", 85 * KB);
  row("W1", "drop-in widget's JS + CSS on top of the SDK, gzip", s.widgetGzip, null, "bytes", 20 * KB);
  row("W1", "+ loaded when first needed: interactive messages and survey, gzip", s.extrasGzip, null, "bytes", null);
  row("W1", "+ loaded when chosen: the largest locale table, gzip", s.localeGzip, null, "bytes", null);

  const page = await context.newPage();
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
  const pkg = `${files.url}/pkg/index.js`;
  const { identifier } = await server.control("POST", "/inboxes", { messagesPerMinute: 1_000_000 });
  const result = await page.evaluate(
    async ({ pkg, baseUrl, inbox }) => {
      const loadStart = performance.now();
      const sdk = await import(pkg);
      await sdk.init();
      const initMs = performance.now() - loadStart;
      const median = (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
      };
      const control = async (method, path, body) => {
        const r = await fetch(`${baseUrl}/__devserver${path}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
        return r.json();
      };
      const api = new sdk.InboxClient({ baseUrl, inboxIdentifier: inbox });
      const opened = (chat) => chat.state === "open" ? Promise.resolve() : new Promise((r) => { const off = chat.on("state", (e) => e.state === "open" && (off(), r())); });
      // Start-up of a session to `open` (a new contact), before the other rows load the server.
      const startAt = performance.now();
      const first = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "memory" });
      await opened(first);
      const startMs = performance.now() - startAt;
      first.close();
      const pub = `${baseUrl}/public/api/v1/inboxes/${inbox}`;
      const time = async (f) => {
        const t = performance.now();
        await f();
        return performance.now() - t;
      };
      /** Rounds of (sdk, baseline), alternating which goes first. */
      /** `done`, or an error saying what arrived when it has not come within 60 s: a
       * lost event fails the run instead of stalling it. */
      const within = (done, what) => Promise.race([done, new Promise((_, fail) => setTimeout(() => fail(new Error(what())), 60_000))]);
      const sideBySide = async (rounds, sdkRun, baseRun) => {
        const a = [];
        const b = [];
        await sdkRun();
        await baseRun(); // warm-up of both
        for (let i = 0; i < rounds; i++) {
          if (i % 2) {
            a.push(await time(sdkRun));
            b.push(await time(baseRun));
          } else {
            b.push(await time(baseRun));
            a.push(await time(sdkRun));
          }
        }
        return { sdk: median(a), base: median(b), sdkAll: a, baseAll: b };
      };

      // P2: 50 conversations holding 10,000 messages in all.
      const big = await api.createContact({ name: "Bench" });
      for (let i = 0; i < 50; i++) {
        const c = await api.createConversation(big.sourceId);
        await control("POST", `/conversations/${c.id}/burst`, { kind: "message", count: 200, content: `a message of a realistic length, number ${i}, with some words in it` });
      }
      const listUrl = `${pub}/contacts/${big.sourceId}/conversations`;
      const check = await api.listConversations(big.sourceId);
      const total = check.reduce((n, c) => n + c.messages.length, 0);
      const bytes = (await (await fetch(listUrl)).arrayBuffer()).byteLength;
      const p2 = await sideBySide(15, () => api.listConversations(big.sourceId), () => fetch(listUrl).then((r) => r.json()));

      // P3: 1,000 sequential calls on a small conversation.
      const small = await api.createContact({ name: "Small" });
      const sc = await api.createConversation(small.sourceId);
      await api.createMessage(small.sourceId, sc.id, { content: "hi" });
      const oneUrl = `${pub}/contacts/${small.sourceId}/conversations/${sc.id}`;
      const p3 = await sideBySide(
        7,
        async () => { for (let i = 0; i < 1000; i++) await api.getConversation(small.sourceId, sc.id); },
        async () => { for (let i = 0; i < 1000; i++) await fetch(oneUrl).then((r) => r.json()); },
      );

      // P4: 10,000 message.created frames, the SDK's listener vs a raw WebSocket with
      // JSON.parse, each alone in its round (rounds alternate): the SDK's session holds
      // contact A, the raw socket contact B, and each burst goes to one of them.
      const chat = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "memory" });
      await opened(chat);
      const conv = await chat.startConversation();
      chat.messages(conv.id);
      await new Promise((r) => { const off = chat.on("synced", () => (off(), r())); });
      const other = await api.createContact({ name: "Raw listener" });
      const otherConv = await api.createConversation(other.sourceId);
      const raw = new WebSocket(baseUrl.replace("http", "ws") + "/cable", ["actioncable-v1-json"]);
      const identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: other.pubsubToken });
      let rawCount = 0;
      let rawDone = null;
      await new Promise((resolve) => {
        raw.onmessage = (ev) => {
          const f = JSON.parse(ev.data);
          if (f.type === "welcome") raw.send(JSON.stringify({ command: "subscribe", identifier }));
          else if (f.type === "confirm_subscription") resolve();
          else if (f.message?.event === "message.created") {
            rawCount++;
            if (rawDone && rawCount === rawDone.n) rawDone.resolve(performance.now());
          }
        };
      });
      let sdkCount = 0;
      let sdkDone = null;
      chat.on("message.created", (e) => {
        if (e.conversationId !== conv.id) return;
        sdkCount++;
        if (sdkDone && sdkCount === sdkDone.n) sdkDone.resolve(performance.now());
      });
      const n = 10_000;
      const sdkRound = async () => {
        sdkCount = 0;
        const done = new Promise((resolve) => (sdkDone = { n, resolve }));
        await control("POST", `/conversations/${conv.id}/burst`, { kind: "message", count: n, content: "pushed" });
        await within(done, () => `P4: the SDK's listener got ${sdkCount} of ${n} message.created events`);
      };
      const rawRound = async () => {
        rawCount = 0;
        const done = new Promise((resolve) => (rawDone = { n, resolve }));
        await control("POST", `/conversations/${otherConv.id}/burst`, { kind: "message", count: n, content: "pushed" });
        await within(done, () => `P4: the raw socket got ${rawCount} of ${n} frames`);
      };
      const p4 = await sideBySide(7, sdkRound, rawRound);
      raw.close();
      chat.close();

      return { initMs, startMs, total, bytes, p2, p3, p4 };
    },
    { pkg, baseUrl: server.url, inbox: identifier },
  );

  await page.close();

  // P5 in a page of its own: a fresh module whose memory the other rows never grew.
  const page5 = await context.newPage();
  await page5.goto(`${files.url}/tests/js/pages/blank.html`);
  const memory = await page5.evaluate(
    async ({ pkg, baseUrl, inbox }) => {
      const sdk = await import(pkg);
      await sdk.init();
      const control = async (method, path, body) => {
        const r = await fetch(`${baseUrl}/__devserver${path}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
        return r.json();
      };
      const opened = (chat) => chat.state === "open" ? Promise.resolve() : new Promise((r) => { const off = chat.on("state", (e) => e.state === "open" && (off(), r())); });
      // P5: memory after 10,000 events and 200 reconnects vs after warm-up.
      const measure = async () => {
        for (let i = 0; i < 3; i++) {
          gc();
          await new Promise((r) => setTimeout(r, 50));
        }
        return { wasm: sdk.diagnostics().wasmMemoryBytes, heap: performance.memory.usedJSHeapSize };
      };
      const chats = [];
      const convs = [];
      for (let i = 0; i < 10; i++) {
        const c = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "memory" });
        await opened(c);
        const cv = await c.startConversation();
        c.messages(cv.id);
        chats.push(c);
        convs.push(cv);
      }
      const events = async (perSession) => {
        const seen = chats.map((c, i) => new Promise((resolve) => {
          let k = 0;
          const off = c.on("typing", () => { if (++k === perSession) { off(); resolve(); } });
        }));
        await Promise.all(convs.map((cv) => control("POST", `/conversations/${cv.id}/burst`, { kind: "typing", count: perSession })));
        await Promise.all(seen);
      };
      const reconnects = async (drops) => {
        for (let i = 0; i < drops; i++) {
          const lost = chats.map((c) => new Promise((r) => { const off = c.on("state", (e) => e.state === "reconnecting" && (off(), r())); }));
          await control("POST", "/sockets/drop", {});
          await Promise.all(lost);
          await Promise.all(chats.map(opened));
        }
      };
      await events(100);
      await reconnects(2);
      const warm = await measure();
      await events(1000);
      await reconnects(20);
      const after = await measure();
      for (const c of chats) c.close();

      return { warm, after };
    },
    { pkg, baseUrl: server.url, inbox: identifier },
  );
  await page5.close();

  // P6 in a page of its own: one incoming message costs the same with 5,000 messages
  // loaded as with 50. Two sessions, each with a subscriber that reads getSnapshot() on
  // every change (as React's useSyncExternalStore does); rounds of 200 agent messages
  // alternate between them, the time is until the last one reached the listener.
  const page6 = await context.newPage();
  await page6.goto(`${files.url}/tests/js/pages/blank.html`);
  const p6 = await page6.evaluate(
    async ({ pkg, baseUrl, inbox }) => {
      const sdk = await import(pkg);
      await sdk.init();
      const control = async (method, path, body) => {
        const r = await fetch(`${baseUrl}/__devserver${path}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
        return r.json();
      };
      const opened = (chat) => chat.state === "open" ? Promise.resolve() : new Promise((r) => { const off = chat.on("state", (e) => e.state === "open" && (off(), r())); });
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      /** `done`, or an error saying what arrived when it has not come within 60 s: a
       * lost event fails the run instead of stalling it. */
      const within = (done, what) => Promise.race([done, new Promise((_, fail) => setTimeout(() => fail(new Error(what())), 60_000))]);
      const setup = async (loaded) => {
        const chat = await sdk.ChatSession.start({ baseUrl, inboxIdentifier: inbox, storage: "memory" });
        await opened(chat);
        const conv = await chat.startConversation();
        chat.messages(conv.id);
        let seen = 0;
        let waiting = null;
        chat.on("message.created", () => {
          seen++;
          if (waiting && seen >= waiting.n) waiting.resolve(performance.now());
        });
        let snapshots = 0;
        chat.subscribe(() => {
          chat.getSnapshot();
          snapshots++;
        });
        const burst = async (n) => {
          const target = seen + n;
          const done = new Promise((resolve) => (waiting = { n: target, resolve }));
          const t0 = performance.now();
          await control("POST", `/conversations/${conv.id}/burst`, { kind: "message", count: n });
          return (await within(done, () => `P6: ${seen} of ${target} message.created events`)) - t0;
        };
        await burst(loaded);
        return { chat, burst, held: () => chat.messages(conv.id).length, snapshots: () => snapshots };
      };
      const big = await setup(5000);
      const small = await setup(50);
      const a = [];
      const b = [];
      for (let i = 0; i < 9; i++) {
        if (i % 2) {
          a.push(await big.burst(200));
          b.push(await small.burst(200));
        } else {
          b.push(await small.burst(200));
          a.push(await big.burst(200));
        }
      }
      const out = { big: median(a), small: median(b), held: [big.held(), small.held()], snapshots: [big.snapshots(), small.snapshots()] };
      big.chat.close();
      small.chat.close();
      return out;
    },
    { pkg, baseUrl: server.url, inbox: identifier },
  );
  await page6.close();
  const r = { ...result, ...memory, p6 };
  row("P2", `decode listConversations (50 conversations, ${r.total} messages, ${(r.bytes / KB / KB).toFixed(1)} MB)`, r.p2.sdk, r.p2.base, "ratio", 1.5, { ms: [r.p2.sdk, r.p2.base] });
  row("P3", "1,000 sequential getConversation", r.p3.sdk, r.p3.base, "ratio", 1.1, { ms: [r.p3.sdk, r.p3.base] });
  row("P4", "10,000 message.created frames to the listener", r.p4.sdk, r.p4.base, "ratio", 1.5, { ms: [r.p4.sdk, r.p4.base], rounds: { sdk: r.p4.sdkAll, base: r.p4.baseAll } });
  row("P5", "wasm memory after 10,000 events + 200 reconnects vs warm-up", r.after.wasm, r.warm.wasm, "ratio", 1.2, { bytes: [r.after.wasm, r.warm.wasm] });
  row("P5", "JS heap after 10,000 events + 200 reconnects vs warm-up", r.after.heap, r.warm.heap, "ratio", 1.2, { bytes: [r.after.heap, r.warm.heap] });
  row("P6", `200 incoming messages with ${r.p6.held[0]} loaded vs ${r.p6.held[1]} (a getSnapshot() subscriber)`, r.p6.big, r.p6.small, "ratio", 1.2, { ms: [r.p6.big, r.p6.small], snapshots: r.p6.snapshots });
  row("start", "import + init()", r.initMs, null, "ms", null);
  row("start", "ChatSession.start() to state open", r.startMs, null, "ms", null);

  const chromium = execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? "?", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, chromium };
  const date = new Date().toISOString().slice(0, 10);
  const fmt = (x) => {
    if (x.unit === "bytes") return `${(x.value / KB).toFixed(1)} KB`;
    if (x.unit === "ms") return `${x.value.toFixed(0)} ms`;
    if (x.ms) return `${x.ratio.toFixed(2)}× (${x.ms[0].toFixed(0)} ms vs ${x.ms[1].toFixed(0)} ms)`;
    return `${x.ratio.toFixed(2)}× (${(x.bytes[0] / KB / KB).toFixed(2)} MB vs ${(x.bytes[1] / KB / KB).toFixed(2)} MB)`;
  };
  const target = (x) => (x.target === null ? "—" : x.unit === "bytes" ? `≤ ${(x.target / KB).toFixed(0)} KB` : `≤ ${x.target}×`);
  const lines = [
    `| row | what | measured | target | result |`,
    `|---|---|---|---|---|`,
    ...rows.map((x) => `| ${x.id} | ${x.name} | ${fmt(x)} | ${target(x)} | ${x.pass === null ? "info" : x.pass ? "PASS" : "FAIL"} |`),
  ];
  const sizeRow = rows[0];
  const table = [
    lines.join("\n"),
    "",
    `P1 detail: raw ${(sizeRow.raw / KB).toFixed(1)} KB, gzip ${(sizeRow.value / KB).toFixed(1)} KB (wasm ${(sizeRow.wasmGzip / KB).toFixed(1)} + JS ${(sizeRow.glueGzip / KB).toFixed(1)}), brotli ${(sizeRow.brotli / KB).toFixed(1)} KB.`,
    `Machine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB; ${machine.node}; ${chromium}; ${date}; ${Math.round((Date.now() - t0) / 1000)} s.`,
  ].join("\n");
  console.log(table);
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}/bench.json`, JSON.stringify({ date, machine, rows, rounds: { p2: r.p2, p3: r.p3, p4: r.p4 } }, null, 2) + "\n");
  writeFileSync(`${out}/bench.md`, table + "\n");
  await chart(rows, `${out}/bench.png`);
  console.log(`\nwrote bench-output/bench.json, bench.md, bench.png`);
} finally {
  await context.close();
  files.stop();
  server.stop();
}

/** A bar chart of measured / target per row (1.0 is the budget), as a PNG. */
async function chart(list, file) {
  const bars = list.filter((x) => x.target !== null).map((x) => {
    const measured = x.unit === "ratio" ? x.ratio : x.value;
    return { label: `${x.id}: ${x.name.split(" (")[0]}`, share: measured / x.target, pass: x.pass, text: x.unit === "ratio" ? `${x.ratio.toFixed(2)}× (target ${x.target}×)` : `${(x.value / KB).toFixed(1)} KB (target ${x.target / KB} KB)` };
  });
  const w = 900;
  const rowH = 42;
  const h = 60 + bars.length * rowH;
  const scale = (v) => Math.min(v, 2) * 250;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="13">
    <rect width="100%" height="100%" fill="#fff"/>
    <text x="20" y="28" font-size="16" font-weight="bold">chatwoot-inbox-sdk: measured / target (the line is the target)</text>
    ${bars.map((b, i) => {
      const y = 50 + i * rowH;
      return `<text x="20" y="${y + 18}">${b.label.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text>
        <rect x="380" y="${y + 4}" width="${scale(b.share)}" height="20" fill="${b.pass ? "#2e7d32" : "#c62828"}"/>
        <text x="${390 + scale(b.share)}" y="${y + 19}">${b.text}</text>`;
    }).join("")}
    <line x1="${380 + scale(1)}" y1="40" x2="${380 + scale(1)}" y2="${h - 5}" stroke="#000" stroke-dasharray="4 3"/>
  </svg>`;
  const page = await context.newPage();
  await page.setViewportSize({ width: w, height: h });
  await page.setContent(`<body style="margin:0">${svg}</body>`);
  await page.screenshot({ path: file });
  await page.close();
}
