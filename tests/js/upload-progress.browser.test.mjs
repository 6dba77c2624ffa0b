// Upload progress in Chromium: createMessage's onUploadProgress and a session's
// `message.progress` events follow the bytes as a slow server reads them (the devserver's
// slow_upload fault), end at the total, and the message is stored with its file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browserSuite } from "./suite.mjs";

const t = browserSuite();

const SIZE = 8 * 1024 * 1024;

/** Progress reports are increasing, several, and end at the whole multipart body. */
function assertProgress(events) {
  assert.ok(events.length >= 3, `only ${events.length} progress reports: ${JSON.stringify(events)}`);
  for (let i = 1; i < events.length; i++) assert.ok(events[i].loaded >= events[i - 1].loaded, "loaded never goes back");
  const last = events.at(-1);
  assert.ok(last.total > SIZE, `total ${last.total} is the whole body`);
  assert.equal(last.loaded, last.total);
  assert.ok(events[0].loaded < last.total, "the first report is before the end");
}

test("createMessage reports upload progress as the server reads, and stores the file", async () => {
  const { identifier } = await t.server.control("POST", "/inboxes", {});
  await t.server.control("POST", "/faults", { kind: "slow_upload", bytesPerSecond: 4 * 1024 * 1024, method: "POST", pathContains: "/messages" });
  const out = await t.page.evaluate(async ({ pkg, baseUrl, inboxIdentifier, size }) => {
    const sdk = await import(pkg);
    await sdk.init();
    const api = new sdk.InboxClient({ baseUrl, inboxIdentifier });
    const s = await api.createContact({});
    const c = await api.createConversation(s.sourceId);
    const file = new File([new Uint8Array(size).fill(7)], "big.bin", { type: "application/octet-stream" });
    const events = [];
    const m = await api.createMessage(s.sourceId, c.id, { content: "with a file", attachments: [file] }, {
      onUploadProgress: (p) => events.push(p),
    });
    let refused;
    try {
      await api.createMessage(s.sourceId, c.id, { content: "x" }, { onUploadProgress: 5 });
    } catch (e) {
      refused = e.code;
    }
    return { events, attachment: m.attachments[0], refused, diag: sdk.diagnostics() };
  }, { pkg: `${t.files.url}/pkg/index.js`, baseUrl: t.server.url, inboxIdentifier: identifier, size: SIZE });
  assertProgress(out.events);
  assert.equal(out.attachment.fileType, "file");
  assert.equal(out.attachment.fileSize, SIZE);
  assert.equal(out.refused, "invalid_argument");
  assert.equal(out.diag.calls, 0);
  assert.deepEqual(t.pageErrors, []);
});

test("a session's send with a file emits message.progress for its echoId, then message.sent", async () => {
  const { identifier } = await t.server.control("POST", "/inboxes", {});
  await t.server.control("POST", "/faults", { kind: "slow_upload", bytesPerSecond: 4 * 1024 * 1024, method: "POST", pathContains: "/messages" });
  const out = await t.page.evaluate(async ({ pkg, baseUrl, inboxIdentifier, size }) => {
    const sdk = await import(pkg);
    await sdk.init();
    const chat = await sdk.ChatSession.start({ baseUrl, inboxIdentifier, storage: "memory", realtime: false });
    const conv = await chat.startConversation();
    const progress = [];
    chat.on("message.progress", (e) => progress.push(e));
    const sent = new Promise((resolve) => chat.on("message.sent", resolve));
    const file = new File([new Uint8Array(size).fill(1)], "photo.png", { type: "image/png" });
    const local = chat.send(conv.id, { content: "a photo", attachments: [file] });
    const done = await sent;
    const snapshot = chat.messages(conv.id);
    chat.close();
    return { local, progress, done, snapshot, diag: sdk.diagnostics() };
  }, { pkg: `${t.files.url}/pkg/index.js`, baseUrl: t.server.url, inboxIdentifier: identifier, size: SIZE });
  assert.equal(out.local.status, "sending");
  assertProgress(out.progress);
  for (const e of out.progress) {
    assert.equal(e.type, "message.progress");
    assert.equal(e.echoId, out.local.echoId);
    assert.equal(e.conversationId, out.local.conversationId);
  }
  assert.equal(out.done.echoId, out.local.echoId);
  assert.equal(out.done.message.attachments[0].fileType, "image");
  assert.equal(out.snapshot.filter((m) => m.echoId === out.local.echoId).length, 1, JSON.stringify(out.snapshot).slice(0, 500));
  assert.equal(out.diag.files, 0, "the file is let go once sent");
  assert.deepEqual(t.pageErrors, []);
});
