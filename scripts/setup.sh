#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there.
# Idempotent: safe to run before every `make` target.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)
need_browser=${NEED_BROWSER:-1}

say() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

NIGHTLY=$(cat scripts/nightly-version)
if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 \
  || ! [ -d "$(rustup run "$NIGHTLY" rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library" ]; then
  say "installing the pinned nightly $NIGHTLY with rust-src (cargo-fuzz needs it)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  # Without --locked: with it, a locked dependency is missing from the registry.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (about 1 minute)"
  cargo install cargo-fuzz
fi

if [ "$need_browser" = 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: Chromium and ChromeDriver are needed (chromium, chromedriver on PATH); install them with your system's package manager" >&2
    exit 1
  fi
  say "installing Chromium and ChromeDriver"
  export DEBIAN_FRONTEND=noninteractive
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# JS tooling (wasm-opt from the npm binaryen package, playwright-core, ws): pinned by
# package-lock.json, installed once.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev-dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
