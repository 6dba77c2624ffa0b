#!/usr/bin/env bash
# Mutation testing with cargo-mutants (not part of `make test`: it builds and tests each
# mutant, tens of minutes on 2 cores). Two runs:
#   - the models (`model/`), against the model crate's own tests;
#   - the request builders (`src/api/`), against the SDK's native tests of requests,
#     the account client, the engine and the library's unit tests.
# Writes target/mutants/{model,api}/mutants.out/ (missed.txt lists the survivors) and
# prints each score: caught / (caught + missed + timeouts); unviable mutants (that do not
# build) are left out.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "[mutants] installing cargo-mutants (a few minutes)"
  cargo install cargo-mutants
fi

export CARGO_PROFILE_DEV_DEBUG=0 # faster links; no debugger needed
status=0
run() {
  local name=$1
  shift
  mkdir -p "target/mutants/$name"
  cargo mutants -j2 --timeout 120 -o "target/mutants/$name" "$@" || status=$?
  local out="target/mutants/$name/mutants.out"
  local caught missed timeout
  caught=$(wc -l <"$out/caught.txt")
  missed=$(wc -l <"$out/missed.txt")
  timeout=$(wc -l <"$out/timeout.txt")
  echo "[mutants] $name: $caught caught, $missed missed, $timeout timeouts: score $((100 * caught / (caught + missed + timeout)))%"
}
run model -p chatwoot-inbox-model
run api -p chatwoot-inbox-sdk -f 'src/api/*.rs' -- --lib --test requests --test account --test engine
# cargo-mutants exits 2 when mutants survive, 3 on timeouts: figures, not failures.
[ "$status" -le 3 ] || exit "$status"
