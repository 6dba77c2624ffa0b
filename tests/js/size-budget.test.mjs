// The size budget (size-budget.json): the gzipped wasm + JS of the ESM build, and the
// classic single file, may not grow past what is committed there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const budget = JSON.parse(readFileSync(`${root}size-budget.json`, "utf8"));
const gz = (file) => gzipSync(readFileSync(`${root}pkg/${file}`), { level: 9 }).length;

test("the ESM build (wasm + index.js) stays within its gzip budget", () => {
  const size = gz("chatwoot_inbox_sdk_bg.wasm") + gz("index.js");
  console.log(`ESM: ${size} bytes gzipped, budget ${budget.esm.budget}`);
  assert.ok(size <= budget.esm.budget, `${size} bytes gzipped is over the budget of ${budget.esm.budget} (size-budget.json)`);
});

test("the classic single file stays within its gzip budget", () => {
  const size = gz("chatwoot-inbox.js");
  console.log(`classic: ${size} bytes gzipped, budget ${budget.classic.budget}`);
  assert.ok(size <= budget.classic.budget, `${size} bytes gzipped is over the budget of ${budget.classic.budget} (size-budget.json)`);
});
