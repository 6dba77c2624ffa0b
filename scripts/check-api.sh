#!/usr/bin/env bash
# The public API as a reviewed contract: the packaged .d.ts files must equal the copies
# committed in tests/types/api/, so any change to the API shows in review as a change to
# those files too.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for f in index.d.ts errors.d.ts; do
  if ! diff -u "tests/types/api/$f" "pkg/$f"; then
    echo "The public API ($f) differs from tests/types/api/$f (diff above)." >&2
    echo "If the change is intended: cp pkg/$f tests/types/api/$f, and say so in the commit." >&2
    status=1
  fi
done
exit $status
