#!/usr/bin/env bash
# Starts the local Chatwoot (devserver) and serves www/ + pkg/, then prints the demo's
# URLs: the widget (a visitor on a product page), the agent console (the support team)
# and the widget as a signed-in user. Opens the first two in a browser when there is a
# display. Ctrl-C stops both servers.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p devserver
DEV_PORT=${DEV_PORT:-3000}
WWW_PORT=${WWW_PORT:-8080}
INBOX=demo-inbox
HMAC_SECRET=demo-secret # the devserver's startup inbox's HMAC token (devserver/README.md)

# The demo inbox sends the CSAT survey on resolve; DEVSERVER_FLAGS adds more, such as
# "--working-hours --timezone Europe/Berlin" for the away line outside office hours.
# shellcheck disable=SC2086
target/release/devserver --port "$DEV_PORT" --csat-survey ${DEVSERVER_FLAGS:-} &
dev=$!
node scripts/serve.mjs "$WWW_PORT" &
www=$!
trap 'kill $dev $www 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

# Wait until both answer (rather than sleeping a fixed time); give up after 10 s.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 100); do
  port_open "$DEV_PORT" && port_open "$WWW_PORT" && break
  kill -0 $dev 2>/dev/null && kill -0 $www 2>/dev/null || { echo "a server failed to start (ports $DEV_PORT, $WWW_PORT in use?)" >&2; exit 1; }
  sleep 0.1
done
port_open "$DEV_PORT" && port_open "$WWW_PORT" || { echo "the servers did not start within 10 s" >&2; exit 1; }

base="http://127.0.0.1:$DEV_PORT"
site="http://127.0.0.1:$WWW_PORT/www"
query="baseUrl=$base&inbox=$INBOX"
widget="$site/?$query"
agent="$site/agent.html?$query"
# An identity as a host site's server would compute it: HMAC-SHA256 of the identifier.
identifier=demo-user-42
hash=$(node -e 'const [k, v] = process.argv.slice(1); console.log(require("node:crypto").createHmac("sha256", k).update(v).digest("hex"))' "$HMAC_SECRET" "$identifier")
signed_in="$widget&identifier=$identifier&identifierHash=$hash&name=Ana%20Lima&email=ana@example.com"

echo
echo "Widget:         $widget"
echo "Agent console:  $agent"
echo "Signed-in user: $signed_in"
echo
echo "(local Chatwoot at $base, inbox identifier $INBOX, CSAT survey on resolve. For business"
echo " hours: DEVSERVER_FLAGS=\"--working-hours --timezone Europe/Berlin\" make demo, or \"New inbox…\""
echo " in the agent console.)"
echo "Ctrl-C to stop."

# Open the two pages only where a browser can show them; never fail if it cannot.
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]] && command -v xdg-open >/dev/null 2>&1; then
  xdg-open "$widget" >/dev/null 2>&1 || true
  xdg-open "$agent" >/dev/null 2>&1 || true
fi

# Until Ctrl-C, or until either server stops (the trap stops the other).
wait -n $dev $www
