#!/usr/bin/env bash
# Runs every fuzz target (cargo-fuzz, libFuzzer, the pinned nightly) and prints one
# line per target: executions and crashes. Fails if any target crashed.
#   scripts/fuzz.sh            short run: 4 s per target (part of `make test`)
#   scripts/fuzz.sh --runs N   N executions per target (`make fuzz`: 1,000,000)
# Crashes are kept under fuzz/artifacts/<target>/; each one found so far is a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."

NIGHTLY=$(cat scripts/nightly-version)
limit=(-max_total_time=4)
if [ "${1:-}" = "--runs" ]; then
  limit=(-runs="${2:?--runs needs a number}")
fi
targets=$(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^chatwoot')

cargo "+$NIGHTLY" fuzz build -O >/dev/null 2>&1 || cargo "+$NIGHTLY" fuzz build -O
failed=0
printf '%-20s %12s %8s\n' target executions crashes
for t in $targets; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus"
  log=$(mktemp)
  # Decoders start from the fixtures: real server shapes, quirky ones included.
  seeds=()
  case "$t" in cable|session|error_body) ;; *) seeds=(tests/fixtures) ;; esac
  if cargo "+$NIGHTLY" fuzz run -O "$t" "$corpus" "${seeds[@]}" -- "${limit[@]}" -print_final_stats=1 >"$log" 2>&1; then
    crashes=0
  else
    crashes=1
    failed=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  printf '%-20s %12s %8s\n' "$t" "${runs:-?}" "$crashes"
  if [ "$crashes" != 0 ]; then
    grep -E 'panicked|ERROR|SUMMARY' -A3 "$log" | head -n 20 >&2
  fi
  rm -f "$log"
done
exit "$failed"
