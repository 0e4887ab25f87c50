#!/usr/bin/env bash
# npm run test:e2e [-- vitest args] — the real-stack tests end to end: installs what is missing, starts the
# stack and its backends (backends.sh), runs vitest's e2e project (extra arguments go to vitest, e.g. the CI's
# reporters), and always stops both, even when a step fails or the run is interrupted. Exits with vitest's code.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KMON_ROOT"

trap 'bash "$STACK_SRC/backends.sh" down; bash "$STACK_SRC/down.sh"' EXIT
# Without this an interrupt would run the EXIT trap only after the current step returns by itself.
trap 'exit 130' INT TERM

# The tests run the real binary (bin/kmon.js imports dist/).
npx tsc -p tsconfig.json
bash "$STACK_SRC/install.sh"
bash "$STACK_SRC/up.sh"
# Started before the suite, so by the time test/e2e/backends.test.ts runs they hold the whole window it compares
# (it waits for that itself when run alone, and then stops what it started).
bash "$STACK_SRC/backends.sh" up

rc=0
npx vitest run --project e2e "$@" || rc=$?
exit "$rc"
