// The README's examples run: every ```js test block, as a module in Node against a
// devserver, with the package by name pointing at the built pkg/, the placeholder
// server and inbox replaced by the devserver's, and the secrets the examples read from
// the environment set to the devserver's. Browser examples get the one global a
// browser has and Node 20 lacks: WebSocket (from "ws").
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startDevserver } from "./devserver.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}target/readme-tests`;
const readme = readFileSync(`${root}README.md`, "utf8");
const blocks = [...readme.matchAll(/^```js test\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  code: m[1],
  line: readme.slice(0, m.index).split("\n").length,
  index: i,
}));

let server;
before(async () => {
  server = await startDevserver();
  mkdirSync(dir, { recursive: true });
});
after(() => server?.stop());

/** What each `js test` block prints, in order. */
const expected = [
  /^\[ 'incoming: Hello!' \]$/,
  // The socket may open before the listener is added: only the last line is certain.
  /^(connection: (connecting|open|reconnecting)\n)*connection: closed$/,
  /^now chatting as Ana$/,
  /^sent: image$/,
  /^realtime: open$/,
  /^Ana \d+$/,
];

test("the README has examples marked to run", () => {
  assert.equal(blocks.length, expected.length, `${blocks.length} blocks`);
});

for (const block of blocks) {
  test(`README example at line ${block.line} runs`, async () => {
    const code = block.code
      .replaceAll(`from "chatwoot-inbox-sdk"`, `from ${JSON.stringify(`${root}pkg/node.js`)}`)
      .replaceAll(`"https://chat.example.com"`, JSON.stringify(server.url))
      .replaceAll(`"YOUR_INBOX_IDENTIFIER"`, `"demo-inbox"`);
    assert.notEqual(code, block.code, "the example uses the package");
    const browserGlobals = `import { WebSocket as BrowserWebSocket } from "ws";\nglobalThis.WebSocket ??= BrowserWebSocket;\n`;
    const file = `${dir}/example-${block.index}.mjs`;
    writeFileSync(file, browserGlobals + code);
    const env = { ...process.env, CHATWOOT_HMAC_TOKEN: "demo-secret", CHATWOOT_API_TOKEN: "demo-agent-token" };
    const { stdout, stderr } = await promisify(execFile)("node", [file], { cwd: dir, env, timeout: 30_000 });
    assert.equal(stderr, "", stderr);
    // What each example prints, in README order: values it got back from the server.
    // Fails when an example prints something else (a missing value, a wrong state).
    assert.ok(expected[block.index], `no expected output for the example at line ${block.line}`);
    assert.match(stdout.trim(), expected[block.index]);
    console.log(`line ${block.line}: ${stdout.trim().replaceAll("\n", " | ")}`);
  });
}
