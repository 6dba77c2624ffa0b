#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm → wasm-bindgen (pinned CLI) → wasm-opt
# → the hand-written entries of pkg-template/. Prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=chatwoot_inbox_sdk
OUT=pkg
# Stable Rust, the release profile of Cargo.toml (size-optimised, LTO).
TARGET_DIR=target
cargo build --release --target wasm32-unknown-unknown --lib
BUILD=target/pkg-build
rm -rf "$OUT" "$BUILD" && mkdir -p "$OUT" "$BUILD"
wasm-bindgen --target web --out-dir "$BUILD" --out-name "$NAME" \
  "$TARGET_DIR/wasm32-unknown-unknown/release/$NAME.wasm"

node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$OUT/${NAME}_bg.wasm" "$BUILD/${NAME}_bg.wasm"

# The JS (wasm-bindgen's glue, the driver, the classes) is bundled per environment and
# minified: what a page loads is index.js and the .wasm next to it. Source maps carry
# the readable sources.
cp pkg-template/*.js "$BUILD/"
bundle() {
  node_modules/.bin/esbuild "$BUILD/$1" --bundle --format=esm --minify --sourcemap \
    --target=es2022 --legal-comments=none --log-level=warning "${@:3}" --outfile="$OUT/$2"
}
bundle index.js index.js --platform=neutral
bundle node.js node.js --platform=node
# The drop-in widget (www/widget/, the demo's own): `./widget` imports `./index.js`, the
# same SDK instance; its stylesheet is inlined as text and adopted by the shadow root.
mkdir -p "$BUILD/widget"
cp -r www/widget/*.js www/widget/locales "$BUILD/widget/"
for css in widget widget-extras; do
  node_modules/.bin/esbuild "www/widget/$css.css" --minify --log-level=warning --outfile="$BUILD/widget/$css.css"
done
# Its locale tables other than English (which is built in) stay files of their own
# (locales/), loaded when chosen: a page pays only for its language. So does what only
# some conversations need (interactive messages, the survey: widget-extras.js), loaded
# the first time one is shown.
others=(--external:./widget-extras.js)
for f in www/widget/locales/*.js; do [ "$(basename "$f")" = en.js ] || others+=("--external:./locales/$(basename "$f")"); done
bundle widget.js widget.js --platform=neutral --external:./index.js "${others[@]}" --loader:.css=text
bundle widget/widget-extras.js widget-extras.js --platform=neutral --loader:.css=text
mkdir -p "$OUT/locales" && cp www/widget/locales/*.js "$OUT/locales/"
# The classic script: one IIFE with the module inside, deflated (zopfli: ~5% smaller
# than zlib -9, inflated by the browser's DecompressionStream all the same) then
# base64-encoded (smaller gzipped than base64 of the raw module: 4/3 of deflated bytes
# compress back to about their own size, while base64 of raw bytes defeats gzip).
node -e 'require("@gfx/zopfli").deflate(require("fs").readFileSync(process.argv[1]),{numiterations:15},(e,out)=>{if(e)throw e;require("fs").writeFileSync(process.argv[2],Buffer.from(out).toString("base64"))})' \
  "$OUT/${NAME}_bg.wasm" "$BUILD/wasm.deflate.b64"
node_modules/.bin/esbuild "$BUILD/classic.js" --bundle --format=iife --minify --target=es2022 \
  --legal-comments=none --log-level=error --loader:.b64=text --outfile="$OUT/chatwoot-inbox.js"
# The drop-in widget as one classic script: the same, with the widget, mounting itself
# from its data-* attributes.
node_modules/.bin/esbuild "$BUILD/classic-widget.js" --bundle --format=iife --minify --target=es2022 \
  --legal-comments=none --log-level=error --loader:.b64=text --loader:.css=text --outfile="$OUT/chatwoot-inbox-widget.js"

cp pkg-template/*.d.ts pkg-template/package.json "$OUT/"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed -i "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" "$OUT/package.json"
cp README.md "$OUT/"

# Sizes as the size budget (size-budget.json) and the benchmark count them.
node -e '
const f = require("fs"), z = require("zlib"), dir = process.argv[1];
const gz = (n) => z.gzipSync(f.readFileSync(`${dir}/${n}`), { level: 9 }).length;
const raw = (n) => f.statSync(`${dir}/${n}`).size;
const w = "chatwoot_inbox_sdk_bg.wasm";
console.log(`pkg/: wasm ${raw(w)} bytes raw, ${gz(w)} gzipped; index.js ${raw("index.js")} raw, ${gz("index.js")} gzipped; wasm + JS ${gz(w) + gz("index.js")} gzipped; chatwoot-inbox.js ${gz("chatwoot-inbox.js")} gzipped; widget.js ${gz("widget.js")} gzipped on top (+ ${gz("widget-extras.js")} when needed); chatwoot-inbox-widget.js ${gz("chatwoot-inbox-widget.js")} gzipped`);
' "$OUT"
