#!/usr/bin/env bash
# Starts the local Chatwoot (devserver) and serves www/ + pkg/, then prints the URL.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p devserver
DEV_PORT=${DEV_PORT:-3000}
WWW_PORT=${WWW_PORT:-8080}
target/release/devserver --port "$DEV_PORT" &
dev=$!
trap 'kill $dev 2>/dev/null' EXIT
node scripts/serve.mjs "$WWW_PORT" &
www=$!
trap 'kill $dev $www 2>/dev/null' EXIT
sleep 1
echo
echo "Demo:  http://127.0.0.1:$WWW_PORT/www/?baseUrl=http://127.0.0.1:$DEV_PORT&inbox=demo-inbox"
echo "(local Chatwoot at http://127.0.0.1:$DEV_PORT, inbox identifier demo-inbox; Ctrl-C to stop)"
wait
