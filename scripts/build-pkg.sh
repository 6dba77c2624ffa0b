#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm → wasm-bindgen (pinned CLI) → wasm-opt
# → the hand-written entries of pkg-template/. Prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=chatwoot_inbox_sdk
OUT=pkg
# The shipped module is built with the pinned nightly's -Zbuild-std and the
# immediate-abort panic strategy: std is compiled for size with the rest, and the panic
# formatting machinery (about 10 KB gzipped) is gone. A panic aborts either way in wasm;
# none is reachable (clippy denies the ways in). See the README's stack notes.
NIGHTLY=$(cat scripts/nightly-version)
TARGET_DIR=target/size
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
  cargo "+$NIGHTLY" build --release --target wasm32-unknown-unknown --lib \
  -Zbuild-std=std,panic_abort --target-dir "$TARGET_DIR"
rm -rf "$OUT" && mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name "$NAME" \
  "$TARGET_DIR/wasm32-unknown-unknown/release/$NAME.wasm"

# The error class is a JS module the wasm imports; ship it at the package root so the
# ESM entry and the glue share one ChatwootError class.
snippet=$(find "$OUT/snippets" -name errors.js | head -n 1)
sed -i "s#'\./snippets/[^']*/errors\.js'#'./errors.js'#; s#\"\./snippets/[^\"]*/errors\.js\"#\"./errors.js\"#" "$OUT/$NAME.js"
rm -rf "$OUT/snippets"
[ -n "$snippet" ] || { echo "build-pkg: the errors.js snippet was not emitted" >&2; exit 1; }
grep -q "from './errors.js'\|from \"./errors.js\"" "$OUT/$NAME.js" || { echo "build-pkg: glue does not import ./errors.js" >&2; exit 1; }

node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$OUT/${NAME}_bg.wasm" "$OUT/${NAME}_bg.wasm"

# Public signatures as JS readers expect them: trailing `X | undefined` parameters are
# optional (`opts?: CallOptions`), and parameter names are camelCase like everything else.
dts="$OUT/$NAME.d.ts"
sed -i -E ':a; s/([a-z_]+): ([A-Za-z"{}?:; |]+) \| undefined([,)])/\1?: \2\3/; ta' "$dts"
sed -i -E 's/\bsource_id\b/sourceId/g; s/\bconversation_id\b/conversationId/g; s/\bmessage_id\b/messageId/g; s/\bconversation_uuid\b/conversationUuid/g; s/\bsubmitted_values\b/submittedValues/g; s/\becho_id\b/echoId/g' "$dts"
if grep -nE '^\s+[a-zA-Z]+\(.*\b[a-z]+_[a-z_]+\??:' "$dts" | grep -v 'readonly' ; then
  echo "build-pkg: snake_case parameter left in the public types" >&2; exit 1
fi

cp pkg-template/*.js pkg-template/*.d.ts pkg-template/package.json "$OUT/"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed -i "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" "$OUT/package.json"
cp README.md "$OUT/"

wasm_raw=$(stat -c %s "$OUT/${NAME}_bg.wasm")
wasm_gz=$(gzip -9 -c "$OUT/${NAME}_bg.wasm" | wc -c)
glue_gz=$(cat "$OUT/$NAME.js" "$OUT/index.js" "$OUT/errors.js" | gzip -9 -c | wc -c)
printf 'pkg/: wasm %d bytes raw, %d gzipped; wasm + JS glue %d bytes gzipped\n' "$wasm_raw" "$wasm_gz" $((wasm_gz + glue_gz))
