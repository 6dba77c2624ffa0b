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

node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$OUT/${NAME}_bg.wasm" "$OUT/${NAME}_bg.wasm"

# The module's own types name only the internal Machine: the public contract is the
# hand-written index.d.ts.
rm -f "$OUT/$NAME.d.ts" "$OUT/${NAME}_bg.wasm.d.ts"
cp pkg-template/*.js pkg-template/*.d.ts pkg-template/package.json "$OUT/"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed -i "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" "$OUT/package.json"
cp README.md "$OUT/"

wasm_raw=$(stat -c %s "$OUT/${NAME}_bg.wasm")
wasm_gz=$(gzip -9 -c "$OUT/${NAME}_bg.wasm" | wc -c)
glue_gz=$(cat "$OUT/$NAME.js" "$OUT"/index.js "$OUT"/errors.js "$OUT"/driver.js "$OUT"/client.js "$OUT"/session.js | gzip -9 -c | wc -c)
printf 'pkg/: wasm %d bytes raw, %d gzipped; wasm + JS glue %d bytes gzipped\n' "$wasm_raw" "$wasm_gz" $((wasm_gz + glue_gz))
