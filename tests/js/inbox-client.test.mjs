// InboxClient from the built package, in Node, against a devserver this file starts:
// every method's success path, every error code, path injection, the retry policy.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { InboxClient, ChatwootError, isChatwootError, init, version } from "../../pkg/node.js";
import { startDevserver } from "./devserver.mjs";

let server;
before(async () => {
  server = await startDevserver();
});
// No fault a failed test armed reaches the next one.
afterEach(() => server.control("DELETE", "/faults"));
after(() => server?.stop());

const newInbox = async (opts = {}) => (await server.control("POST", "/inboxes", opts)).identifier;
const client = async (opts = {}, inboxOpts = {}) =>
  new InboxClient({ baseUrl: server.url, inboxIdentifier: await newInbox(inboxOpts), ...opts });
const rejects = async (promise, code) => {
  const err = await promise.then(() => assert.fail(`expected ${code}`), (e) => e);
  assert.ok(err instanceof ChatwootError && err instanceof Error && isChatwootError(err), `not a ChatwootError: ${err}`);
  assert.equal(err.code, code, err.message);
  return err;
};

test("init is idempotent in Node and version() is the package version", async () => {
  // Fails if init() rejects on a second call, or version() is not the package's.
  assert.equal(await init(), undefined);
  assert.equal(await init(), undefined);
  const pkg = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
  assert.equal(version(), pkg.version);
});

test("every InboxClient method succeeds against the devserver", async () => {
  const api = await client({}, { csatSurveyEnabled: true });
  const inbox = await api.getInbox();
  assert.equal(typeof inbox.name, "string");
  assert.equal(inbox.workingHours.length, 7);

  const session = await api.createContact({ name: "Ana", email: "ANA@example.com", customAttributes: { plan: "pro" } });
  assert.equal(typeof session.sourceId, "string");
  assert.equal(session.email, "ana@example.com");
  assert.deepEqual(await api.getContact(session.sourceId), session);

  const updated = await api.updateContact(session.sourceId, { name: "Ana B", customAttributes: { seats: 3 } });
  assert.equal(updated.name, "Ana B");
  assert.deepEqual(updated.customAttributes, { plan: "pro", seats: 3 });

  const conv = await api.createConversation(session.sourceId, { customAttributes: { order: "A-1" } });
  assert.equal(conv.status, "open");
  assert.deepEqual(conv.messages, []);
  const list = await api.listConversations(session.sourceId);
  assert.deepEqual(list.map((c) => c.id), [conv.id]);
  assert.equal((await api.getConversation(session.sourceId, conv.id)).id, conv.id);

  const sent = await api.createMessage(session.sourceId, conv.id, { content: "hello", echoId: "e-1" });
  assert.equal(sent.content, "hello");
  assert.equal(sent.messageType, "incoming");
  assert.equal(typeof sent.createdAt, "number");
  assert.ok(sent.createdAt > 1.6e12, "timestamps are milliseconds");
  assert.equal(sent.echoId, null, "the REST answer carries no echo id");

  for (let i = 0; i < 24; i++) await api.createMessage(session.sourceId, conv.id, { content: `m${i}` });
  const newest = await api.listMessages(session.sourceId, conv.id);
  assert.equal(newest.length, 20);
  const older = await api.listMessages(session.sourceId, conv.id, { before: newest[0].id });
  assert.equal(older.length, 5);
  assert.deepEqual(older.map((m) => m.content), ["hello", "m0", "m1", "m2", "m3"]);
  assert.deepEqual(await api.listMessages(session.sourceId, conv.id, { before: older[0].id }), []);

  // The server's state, not just the resolved value: typing on, then off; last seen set.
  const onServer = async () => (await server.control("GET", `/inboxes/${inbox.identifier}/conversations`)).find((c) => c.id === conv.id);
  assert.equal(await api.setTyping(session.sourceId, conv.id, "on"), undefined);
  assert.equal((await onServer()).contactTyping, true);
  assert.equal(await api.setTyping(session.sourceId, conv.id, "off"), undefined);
  assert.equal((await onServer()).contactTyping, false);
  assert.equal((await onServer()).contact_last_seen_at, 0, "not seen yet");
  assert.equal(await api.updateLastSeen(session.sourceId, conv.id), undefined);
  assert.ok((await onServer()).contact_last_seen_at > 0, "seen now");

  const file = new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" });
  const withFile = await api.createMessage(session.sourceId, conv.id, { attachments: [file] });
  assert.equal(withFile.attachments.length, 1);
  assert.equal(withFile.attachments[0].fileType, "image");
  const doc = new File(["%PDF"], "terms.pdf", { type: "application/pdf" });
  const withDoc = await api.createMessage(session.sourceId, conv.id, { content: "see", attachments: [doc] });
  assert.equal(withDoc.attachments[0].fileType, "file");

  const select = await server.control("POST", `/conversations/${conv.id}/messages`, {
    content: "Pick one", contentType: "input_select",
    contentAttributes: { items: [{ title: "Yes", value: "yes" }, { title: "No", value: "no" }] },
  });
  const answered = await api.updateMessage(session.sourceId, conv.id, select.id, { submittedValues: [{ title: "Yes", value: "yes" }] });
  assert.deepEqual(answered.contentAttributes.submitted_values, [{ title: "Yes", value: "yes" }]);
  assert.equal(answered.contentType, "input_select");

  const resolved = await api.resolveConversation(session.sourceId, conv.id);
  assert.equal(resolved.status, "resolved");
  const survey = await api.getCsatSurvey(conv.uuid);
  assert.equal(survey.csatSurveyResponse, null);
  const rated = await api.submitCsatSurvey(conv.uuid, { rating: 5, feedbackMessage: "quick" });
  assert.equal(rated.csatSurveyResponse.rating, 5);
  assert.equal(rated.csatSurveyResponse.feedbackMessage, "quick");

  const reopened = await api.createMessage(session.sourceId, conv.id, { content: "one more thing" });
  assert.equal(reopened.content, "one more thing");
  assert.equal((await api.getConversation(session.sourceId, conv.id)).status, "open", "sending reopens");

  for (const value of [inbox, session, conv, sent, survey]) {
    assert.deepEqual(structuredClone(value), value, "plain, cloneable objects");
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  }
});

test("error codes: not_found, validation, identity, invalid_argument", async () => {
  const api = await client();
  const missing = new InboxClient({ baseUrl: server.url, inboxIdentifier: "no-such-inbox" });
  const nf = await rejects(missing.getInbox(), "not_found");
  assert.equal(nf.status, 404);
  await rejects(api.getContact("no-such-contact"), "not_found");

  const v = await rejects(api.createContact({ email: "not-an-email" }), "validation");
  assert.equal(v.status, 422);
  assert.deepEqual(v.attributes, ["email"]);
  assert.match(v.message, /Email/);

  const secure = await server.control("POST", "/inboxes", { identityValidation: true, hmacToken: "s3cret" });
  const sapi = new InboxClient({ baseUrl: server.url, inboxIdentifier: secure.identifier });
  const wrongHash = "0".repeat(64);
  const idErr = await rejects(sapi.createContact({ identifier: "user-1", identifierHash: wrongHash }), "identity");
  assert.equal(idErr.status, 500);
  assert.ok(!idErr.message.includes(wrongHash), "the hash never appears in an error");
  const hash = createHmac("sha256", "s3cret").update("user-1").digest("hex");
  const ok = await sapi.createContact({ identifier: "user-1", identifierHash: hash });
  const verified = await sapi.getContact(ok.sourceId, { identifier: "user-1", identifierHash: hash });
  assert.equal(verified.sourceId, ok.sourceId);

  await rejects(api.createMessage("x", 1, {}), "invalid_argument");
  await rejects(api.createMessage("x", 1.5, { content: "a" }), "invalid_argument");
  await rejects(api.getContact(".."), "invalid_argument");
  await rejects(api.setTyping("x", 1, "maybe"), "invalid_argument");
  await rejects(api.createMessage("x", 1, { content: "a", attachments: Array.from({ length: 20 }, () => new Blob(["x"])) }), "invalid_argument");
  for (const baseUrl of ["", "ftp://h", "javascript:alert(1)", `${server.url}/`, `${server.url}/chat`]) {
    assert.throws(() => new InboxClient({ baseUrl, inboxIdentifier: "x" }), (e) => isChatwootError(e) && e.code === "invalid_argument", baseUrl);
  }
  assert.throws(() => new InboxClient({ baseUrl: server.url, inboxIdentifier: "" }), (e) => e.code === "invalid_argument");
});

test("faults: rate_limited, http, decode, network, timeout, aborted", async () => {
  const api = await client({ retries: 0 });
  await server.control("POST", "/faults", { kind: "rate_limit", retryAfter: 2 });
  const rl = await rejects(api.getInbox(), "rate_limited");
  assert.equal(rl.status, 429);
  assert.equal(rl.retryAfterMs, 2000);

  await server.control("POST", "/faults", { kind: "status", status: 502 });
  const http = await rejects(api.getInbox(), "http");
  assert.equal(http.status, 502);
  assert.equal(typeof http.body, "string");

  await server.control("POST", "/faults", { kind: "malformed" });
  const dec = await rejects(api.getInbox(), "decode");
  assert.ok(dec.body.length > 0);

  await server.control("POST", "/faults", { kind: "reset" });
  await rejects(api.getInbox(), "network");

  await server.control("POST", "/faults", { kind: "delay", delayMs: 1500 });
  await rejects(api.getInbox({ timeoutMs: 200 }), "timeout");
  await server.control("DELETE", "/faults");

  await server.control("POST", "/faults", { kind: "delay", delayMs: 1500 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await rejects(api.getInbox({ signal: controller.signal }), "aborted");
  await server.control("DELETE", "/faults");
  await rejects(api.getInbox({ signal: AbortSignal.abort() }), "aborted");
  assert.equal((await api.getInbox()).identifier.length > 0, true, "the module keeps working after every failure");
});

test("idempotent calls retry 5xx/429; createMessage and createContact never retry", async () => {
  const api = await client({ retries: 2 });
  const s = await api.createContact();
  const conv = await api.createConversation(s.sourceId);
  await server.control("DELETE", "/requests");
  await server.control("POST", "/faults", { kind: "status", status: 503, count: 2, method: "GET" });
  assert.equal((await api.getConversation(s.sourceId, conv.id)).id, conv.id);
  let log = await server.control("GET", "/requests");
  assert.equal(log.filter((r) => r.method === "GET").length, 3, "two failures, then success");

  await server.control("POST", "/faults", { kind: "rate_limit", retryAfter: 1, count: 1, method: "GET" });
  const t0 = Date.now();
  await api.getConversation(s.sourceId, conv.id);
  assert.ok(Date.now() - t0 >= 900, "Retry-After is honoured");

  await server.control("DELETE", "/requests");
  await server.control("POST", "/faults", { kind: "status", status: 503, count: 1, method: "POST" });
  await rejects(api.createMessage(s.sourceId, conv.id, { content: "once" }), "http");
  await server.control("POST", "/faults", { kind: "status", status: 503, count: 1, method: "POST" });
  await rejects(api.createContact({ name: "x" }), "http");
  log = await server.control("GET", "/requests");
  assert.equal(log.filter((r) => r.method === "POST" && r.path.endsWith("/messages")).length, 1, "createMessage was not retried");
  assert.equal(log.filter((r) => r.method === "POST" && r.path.endsWith("/contacts")).length, 1, "createContact was not retried");
});

test("hostile identifiers stay inside their path segment", async () => {
  const api = await client();
  await server.control("DELETE", "/requests");
  const hostile = ["../../admin", "a/b", "q?x=1", "h#frag", "a%2Fb", "two words", "ünï"];
  for (const id of hostile) await rejects(api.getContact(id), "not_found");
  const log = await server.control("GET", "/requests");
  const paths = log.filter((r) => r.method === "GET").map((r) => r.path);
  assert.equal(paths.length, hostile.length);
  for (const [i, path] of paths.entries()) {
    const segment = path.split("/contacts/")[1];
    assert.ok(segment && !segment.includes("/") && !segment.includes("?") && !segment.includes("#"), path);
    assert.equal(decodeURIComponent(segment), hostile[i]);
    assert.ok(path.startsWith("/public/api/v1/inboxes/"), path);
  }
  for (const r of log) assert.equal(r.headers.cookie, undefined, "no credentials are sent");
});
