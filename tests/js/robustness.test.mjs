// Robustness in Node against the devserver: answers no server should send become
// `decode` errors and the module keeps working; retries, deadlines and aborts behave
// as SPEC §3 says; an aborted call against a slow server leaves nothing behind.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { InboxClient, diagnostics } from "../../pkg/node.js";
import { startDevserver } from "./devserver.mjs";
import { until } from "./events.mjs";

let server;
before(async () => {
  server = await startDevserver();
});
// No fault a failed test armed reaches the next one.
afterEach(() => server.control("DELETE", "/faults"));
after(() => server?.stop());

const client = async (opts = {}) => {
  const { identifier } = await server.control("POST", "/inboxes", {});
  return new InboxClient({ baseUrl: server.url, inboxIdentifier: identifier, ...opts });
};
const code = (p) => p.then(() => "resolved", (e) => e.code);
const requests = async (method) => (await server.control("GET", "/requests")).filter((r) => r.method === method && r.path.startsWith("/public/api"));
/** The SDK holds nothing once every call has settled. */
const idle = () => {
  const d = diagnostics();
  return d.timers === 0 && d.listeners === 0 && d.calls === 0 && d.promises === 0 && d.sockets === 0;
};

test("malformed answers are decode errors, and the module keeps working after each", async () => {
  const api = await client({ retries: 0 });
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const cases = [
    ["truncated JSON", { body: '{"identifier":"x","working_hours":[{"day_of' }],
    ["an array where an object belongs", { body: "[1,2,3]" }],
    ["a string where an object belongs", { body: '"text"' }],
    ["10 MB unterminated string", { prefix: '{"identifier":"', body: "x", repeat: 10 * 1024 * 1024 }],
    ["100 000 nested arrays", { body: deep }],
    ["bytes that are not UTF-8", { bodyHex: "7b22696422ff3a317d" }],
    ["an empty body", { body: "" }],
    ["HTML from a proxy", { body: "<html><body>502 Bad Gateway</body></html>", contentType: "text/html" }],
  ];
  for (const [what, fault] of cases) {
    await server.control("POST", "/faults", { kind: "body", ...fault });
    const e = await api.getInbox().then(() => assert.fail(what), (e) => e);
    assert.equal(e.code, "decode", what);
    assert.ok(typeof e.body === "string" && e.body.length <= 2048, `${what}: the body is kept, cut to 2 KB`);
    const ok = await api.getInbox();
    assert.equal(typeof ok.name, "string", `${what}: still working`);
  }
  // Valid but huge: a 10 MB name decodes as it is.
  await server.control("POST", "/faults", { kind: "body", prefix: '{"identifier":"i","name":"', body: "n", repeat: 10 * 1024 * 1024, suffix: '"}' });
  assert.equal((await api.getInbox()).name.length, 10 * 1024 * 1024);
  // Wrong field types degrade field by field instead of failing the answer.
  await server.control("POST", "/faults", { kind: "body", body: '{"identifier":7,"name":null,"working_hours":"none","timezone":[]}' });
  const odd = await api.getInbox();
  assert.deepEqual([odd.identifier, odd.name, odd.workingHours, odd.timezone], ["7", "", [], null]);
  assert.ok(idle());
});

test("idempotent calls retry network errors, 5xx and 429 with backoff, then give up with the right code", async () => {
  const api = await client({ retries: 2 });
  const s = await api.createContact();
  await server.control("DELETE", "/requests");
  await server.control("POST", "/faults", { kind: "reset", count: 2, method: "GET" });
  assert.equal((await api.getContact(s.sourceId)).sourceId, s.sourceId, "two resets, then the answer");
  assert.equal((await requests("GET")).length, 3);

  await server.control("DELETE", "/requests");
  await server.control("POST", "/faults", { kind: "reset", count: null, method: "GET" });
  assert.equal(await code(api.getContact(s.sourceId)), "network");
  assert.equal((await requests("GET")).length, 3, "1 attempt + 2 retries");
  await server.control("DELETE", "/faults");

  await server.control("DELETE", "/requests");
  await server.control("POST", "/faults", { kind: "rate_limit", count: null, method: "GET" });
  const t0 = Date.now();
  const e = await api.getContact(s.sourceId).then(() => assert.fail("429"), (e) => e);
  assert.equal(e.code, "rate_limited");
  assert.equal(e.retryAfterMs, undefined, "no Retry-After, none invented");
  assert.equal((await requests("GET")).length, 3);
  assert.ok(Date.now() - t0 >= 50, "the retries waited");
  await server.control("DELETE", "/faults");

  await server.control("POST", "/faults", { kind: "status", status: 503, count: null, method: "GET" });
  const http = await api.getContact(s.sourceId).then(() => assert.fail("503"), (e) => e);
  assert.deepEqual([http.code, http.status], ["http", 503]);
  await server.control("DELETE", "/faults");
  assert.ok(idle());
});

test("the deadline covers every retry; createMessage times out once and is never sent twice", async () => {
  const api = await client({ retries: 5 });
  const s = await api.createContact();
  const conv = await api.createConversation(s.sourceId);
  await server.control("DELETE", "/requests");
  await server.control("POST", "/faults", { kind: "delay", delayMs: 400, count: null, method: "GET" });
  assert.equal(await code(api.getConversation(s.sourceId, conv.id, { timeoutMs: 250 })), "timeout");
  // Gave up at the deadline rather than after the slow answer: one request, never retried
  // past it (each attempt would take 400 ms).
  assert.equal((await server.control("GET", "/requests")).filter((r) => r.method === "GET").length, 1);
  await server.control("DELETE", "/faults");

  await server.control("POST", "/faults", { kind: "delay", delayMs: 600, method: "POST", pathContains: "/messages" });
  assert.equal(await code(api.createMessage(s.sourceId, conv.id, { content: "exactly once" }, { timeoutMs: 200 })), "timeout");
  // Polled: the slow request is stored when the server finishes it.
  const stored = async () => (await server.control("GET", `/conversations/${conv.id}/messages`)).filter((m) => m.content === "exactly once");
  await until(async () => (await stored()).length > 0);
  // Sentinel: a later request's message is stored after any retry of this one would be.
  await api.createMessage(s.sourceId, conv.id, { content: "sentinel" });
  assert.equal((await stored()).length, 1, "stored once, not retried");
  assert.equal((await requests("POST")).length, 2, "the message's one request, and the sentinel's");
  assert.ok(idle());
});

test("a slow server and an aborted signal leave no pending work behind", async () => {
  const api = await client();
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const before = timers();
  await server.control("POST", "/faults", { kind: "delay", delayMs: 2000, count: null });
  const controllers = Array.from({ length: 20 }, () => new AbortController());
  const calls = controllers.map((c) => api.getInbox({ signal: c.signal }));
  await until(() => diagnostics().calls === 20);
  for (const c of controllers) c.abort();
  const codes = await Promise.all(calls.map(code));
  assert.deepEqual(new Set(codes), new Set(["aborted"]));
  assert.ok(idle(), JSON.stringify(diagnostics()));
  assert.ok(timers() <= before, `timers left: ${timers()} > ${before}`);
  await server.control("DELETE", "/faults");
  // And a signal aborted before the call sends nothing at all.
  await server.control("DELETE", "/requests");
  assert.equal(await code(api.getInbox({ signal: AbortSignal.abort() })), "aborted");
  assert.equal((await requests("GET")).length, 0);
  assert.ok(idle());
});
