// The bad-input table, in Chromium against the devserver: every SPEC §6 error code
// reached, every invalid argument refused before any request, hostile identifiers kept
// inside their path segment, and no token (pubsubToken, identifierHash, apiAccessToken)
// in any error, event or console line of the whole run. Writes the table to
// test-output/bad-input-table.md and prints it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { startDevserver } from "./devserver.mjs";
import { startStatic } from "./static.mjs";
import { launch } from "./browser.mjs";

let server, files, context, page;
const consoleLines = [];
before(async () => {
  server = await startDevserver();
  files = await startStatic();
  context = await launch();
  page = await context.newPage();
  page.on("console", (m) => consoleLines.push(m.text()));
  page.on("pageerror", (e) => consoleLines.push(String(e)));
  await page.goto(`${files.url}/tests/js/pages/blank.html`);
});
after(async () => {
  await context?.close();
  files?.stop();
  server?.stop();
});

test("every error code, every invalid argument, hostile identifiers, and no token leaks", async () => {
  // Without identity validation, but with a known secret: identify() in the session flow
  // must succeed there (with validation on, an anonymous session cannot start).
  const plain = await server.control("POST", "/inboxes", { hmacToken: "plain-secret" });
  const plainHash = createHmac("sha256", "plain-secret").update("user-1").digest("hex");
  const secure = await server.control("POST", "/inboxes", { identityValidation: true, hmacToken: "inbox-secret" });
  const goodHash = createHmac("sha256", "inbox-secret").update("user-1").digest("hex");
  const badHash = "ab".repeat(32);
  const apiToken = "agent-token-must-never-leak";
  const cutToken = "cut-pubsub-token-must-never-leak";
  const out = await page.evaluate(async (cfg) => {
    const rows = [];
    const seen = [];
    const control = async (method, path, body) => {
      const r = await fetch(`${cfg.baseUrl}/__devserver${path}`, { method, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
      const t = await r.text();
      return t ? JSON.parse(t) : undefined;
    };
    const requestCount = async () => (await control("GET", "/requests")).filter((r) => r.method !== "OPTIONS").length;
    const note = (e) => seen.push(JSON.stringify({ message: e?.message, code: e?.code, body: e?.body, status: e?.status, stack: e?.stack }));
    async function row(group, what, expected, fn, opts = {}) {
      const before = await requestCount();
      let observed;
      try {
        const v = await fn();
        observed = opts.check ? opts.check(v) : "resolved";
      } catch (e) {
        note(e);
        observed = e?.code ?? String(e);
      }
      const sent = (await requestCount()) - before;
      rows.push({ group, what, expected, observed, sent, noRequest: !!opts.noRequest });
    }
    const sdk = await import(cfg.pkg);
    // Before init(): not_initialized.
    await row("code", "InboxClient before init()", "not_initialized", () => new sdk.InboxClient({ baseUrl: cfg.baseUrl, inboxIdentifier: cfg.inbox }), { noRequest: true });
    await sdk.init();
    const api = new sdk.InboxClient({ baseUrl: cfg.baseUrl, inboxIdentifier: cfg.inbox, retries: 0 });
    const s = await api.createContact({ name: "Table" });
    const conv = await api.createConversation(s.sourceId);
    const fault = (f) => control("POST", "/faults", f);

    // Chromium itself repeats a request once when a reused connection is reset: keep
    // resetting until the SDK has seen it.
    await fault({ kind: "reset", count: null });
    await row("code", "connection reset", "network", () => api.getInbox());
    await control("DELETE", "/faults");
    await fault({ kind: "delay", delayMs: 800 });
    await row("code", "slower than timeoutMs", "timeout", () => api.getInbox({ timeoutMs: 100 }));
    await row("code", "signal aborted", "aborted", () => api.getInbox({ signal: AbortSignal.abort() }));
    await fault({ kind: "status", status: 401 });
    await row("code", "401", "unauthorized", () => api.getInbox());
    await fault({ kind: "status", status: 403 });
    await row("code", "403", "forbidden", () => api.getInbox());
    await row("code", "unknown inbox", "not_found", () => new sdk.InboxClient({ baseUrl: cfg.baseUrl, inboxIdentifier: "no-such-inbox" }).getInbox());
    await row("code", "422 invalid email", "validation", () => api.createContact({ email: "not-an-email" }));
    await fault({ kind: "rate_limit", retryAfter: 1 });
    await row("code", "429 with Retry-After", "rate_limited", () => api.getInbox());
    const sapi = new sdk.InboxClient({ baseUrl: cfg.baseUrl, inboxIdentifier: cfg.secure });
    await row("code", "HMAC mismatch", "identity", () => sapi.createContact({ identifier: "user-1", identifierHash: cfg.badHash }));
    await fault({ kind: "status", status: 502 });
    await row("code", "502", "http", () => api.getInbox());
    await fault({ kind: "malformed" });
    await row("code", "truncated 200 body", "decode", () => api.getInbox());
    // A contact's answer cut short keeps its body on the error, without the token.
    await fault({ kind: "body", status: 200, body: `{"id":1,"source_id":"s-1","pubsub_token":"${cfg.cutToken}","name":` });
    await row("code", "truncated contact (token inside)", "decode", () => api.createContact({ name: "Cut" }));

    // Invalid arguments: refused before any request.
    const ctor = (o) => () => new sdk.InboxClient(o);
    const bad = [
      ["empty inbox identifier", ctor({ baseUrl: cfg.baseUrl, inboxIdentifier: "" })],
      ["inbox identifier \"..\"", ctor({ baseUrl: cfg.baseUrl, inboxIdentifier: ".." })],
      ["base URL with a path", ctor({ baseUrl: `${cfg.baseUrl}/chat`, inboxIdentifier: "x" })],
      ["base URL with a trailing slash", ctor({ baseUrl: `${cfg.baseUrl}/`, inboxIdentifier: "x" })],
      ["javascript: base URL", ctor({ baseUrl: "javascript:alert(1)", inboxIdentifier: "x" })],
      ["ftp: base URL", ctor({ baseUrl: "ftp://h", inboxIdentifier: "x" })],
      ["no options", ctor(undefined)],
      ["conversation id \"7\"", () => api.getConversation(s.sourceId, "7")],
      ["conversation id NaN", () => api.getConversation(s.sourceId, NaN)],
      ["conversation id 1.5", () => api.getConversation(s.sourceId, 1.5)],
      ["conversation id -1", () => api.resolveConversation(s.sourceId, -1)],
      ["before: \"x\"", () => api.listMessages(s.sourceId, conv.id, { before: "x" })],
      ["20 attachments", () => api.createMessage(s.sourceId, conv.id, { content: "x", attachments: Array.from({ length: 20 }, () => new Blob(["x"])) })],
      ["attachments not Blobs", () => api.createMessage(s.sourceId, conv.id, { attachments: ["file.png"] })],
      ["empty message", () => api.createMessage(s.sourceId, conv.id, { content: "" })],
      ["150 001 characters", () => api.createMessage(s.sourceId, conv.id, { content: "x".repeat(150_001) })],
      ["phone not E.164", () => api.createContact({ phoneNumber: "030 1234" })],
      ["identifierHash without identifier", () => api.getContact(s.sourceId, { identifierHash: "ab" })],
      ["typing status \"maybe\"", () => api.setTyping(s.sourceId, conv.id, "maybe")],
      ["rating 6", () => api.submitCsatSurvey(conv.uuid, { rating: 6 })],
      ["signal not an AbortSignal", () => api.getInbox({ signal: {} })],
      ["timeoutMs -5", () => api.getInbox({ timeoutMs: -5 })],
      ["timeoutMs 0", () => api.getInbox({ timeoutMs: 0 })],
      ["timeoutMs 1e12 (past the longest timer)", () => api.getInbox({ timeoutMs: 1e12 })],
      ["sourceId a number", () => api.getContact(42)],
      ["customAttributes an array", () => api.createConversation(s.sourceId, { customAttributes: [1] })],
      ["circular input", () => { const o = {}; o.self = o; return api.updateContact(s.sourceId, o); }],
      ["storage \"disk\"", () => sdk.ChatSession.start({ baseUrl: cfg.baseUrl, inboxIdentifier: cfg.inbox, storage: "disk" })],
      ["user without identifier", () => sdk.ChatSession.start({ baseUrl: cfg.baseUrl, inboxIdentifier: cfg.inbox, user: { name: "x" } })],
      ["AccountClient with an empty token", () => new sdk.AccountClient({ baseUrl: cfg.baseUrl, accountId: 1, apiAccessToken: "" })],
      ["AccountClient createConversation without inboxId", () => new sdk.AccountClient({ baseUrl: cfg.baseUrl, accountId: 1, apiAccessToken: cfg.apiToken }).createConversation({})],
    ];
    for (const [what, fn] of bad) await row("invalid", what, "invalid_argument", fn, { noRequest: true });

    // Hostile identifiers: the server sees them inside their segment, percent-encoded.
    for (const id of ["a/b", "q?x=1", "h#frag", "a%2Fb", "two words", "ünï", "../admin"]) {
      await control("DELETE", "/requests");
      await row("encoding", `sourceId ${JSON.stringify(id)}`, "encoded", async () => {
        await api.getContact(id).catch((e) => e);
        const [r] = (await control("GET", "/requests")).filter((x) => x.method === "GET");
        const segment = r.path.split("/contacts/")[1];
        const kept = segment && !/[/?#]/.test(segment) && decodeURIComponent(segment) === id;
        return kept ? "encoded" : `escaped its segment: ${r.path}`;
      }, { check: (v) => v });
    }

    // Sessions: closed, listener, and a full flow whose events are all recorded.
    const chat = await sdk.ChatSession.start({ baseUrl: cfg.baseUrl, inboxIdentifier: cfg.inbox, storage: "memory" });
    const types = ["state", "message.created", "message.updated", "message.pending", "message.sent", "message.failed", "conversation.created", "conversation.updated", "conversation.status_changed", "typing", "presence", "synced", "error"];
    for (const t of types) chat.on(t, (e) => seen.push(JSON.stringify({ ...e, error: e.error && { message: e.error.message, code: e.error.code, body: e.error.body } })));
    const c2 = await chat.startConversation();
    const gotError = new Promise((resolve) => chat.on("error", (e) => resolve(e.error.code)));
    chat.on("message.pending", () => { throw new Error("listener bug"); });
    chat.send(c2.id, "hello");
    await row("code", "a listener threw", "listener", async () => { throw { code: await gotError }; });
    // Must succeed: the leak check below covers both the anonymous and the identified
    // token (a swallowed failure would leave the second out).
    const anonymous = chat.contact.pubsubToken;
    const who = await chat.identify({ identifier: "user-1", identifierHash: cfg.plainHash });
    const pubsubTokens = [anonymous, who.pubsubToken];
    if (pubsubTokens.some((t) => typeof t !== "string" || t.length < 8) || anonymous === who.pubsubToken) throw new Error("identify did not give a new token");
    chat.close();
    await row("code", "send after close()", "closed", () => chat.send(c2.id, "late"));
    await row("code", "loadOlder after close()", "closed", () => chat.loadOlder(c2.id));

    // The application API from a page: no CORS on a production server, so `network`.
    const acct = new sdk.AccountClient({ baseUrl: cfg.baseUrl, accountId: 1, apiAccessToken: cfg.apiToken });
    await row("code", "AccountClient from a page (no CORS)", "network", () => acct.getConversation(1));
    return { rows, seen, pubsubTokens };
  }, { pkg: `${files.url}/pkg/index.js`, baseUrl: server.url, inbox: plain.identifier, secure: secure.identifier, goodHash, plainHash, badHash, apiToken, cutToken });

  const lines = ["| group | case | expected | observed | requests sent |", "|---|---|---|---|---|"];
  for (const r of out.rows) lines.push(`| ${r.group} | ${r.what.replaceAll("|", "\\|")} | ${r.expected} | ${r.observed} | ${r.sent} |`);
  const table = lines.join("\n");
  mkdirSync("test-output", { recursive: true });
  writeFileSync("test-output/bad-input-table.md", table + "\n");
  console.log(table);

  for (const r of out.rows) {
    assert.equal(r.observed, r.expected, `${r.group}: ${r.what}`);
    if (r.noRequest) assert.equal(r.sent, 0, `${r.what}: refused before any request`);
  }
  assert.equal(out.rows.length, 55, "the table's rows");
  const codes = new Set(out.rows.map((r) => r.observed));
  for (const c of ["network", "timeout", "aborted", "unauthorized", "forbidden", "not_found", "validation", "rate_limited", "identity", "http", "decode", "invalid_argument", "not_initialized", "closed", "listener"]) {
    assert.ok(codes.has(c), `code ${c} reached`);
  }
  assert.ok(out.pubsubTokens.length >= 1);
  const secrets = [...out.pubsubTokens, goodHash, plainHash, badHash, apiToken, cutToken, "inbox-secret", "plain-secret"];
  assert.ok(out.seen.some((l) => l.includes("[redacted]")), "the cut contact's body was kept, redacted");
  const everything = [...out.seen, ...consoleLines].join("\n");
  assert.ok(out.seen.length > 20, "errors and events were recorded");
  for (const secret of secrets) assert.ok(!everything.includes(secret), `a token leaked: ${secret.slice(0, 6)}…`);
});
