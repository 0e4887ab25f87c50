#!/usr/bin/env bash
# npm run test:e2e [-- vitest args] — the real-stack tests end to end: installs what is missing, starts the
# stack, runs vitest's e2e project (extra arguments go to vitest, e.g. the CI's reporters), and always
# stops the stack, even when a step fails or the run is interrupted. Exits with vitest's exit code.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KMON_ROOT"

trap 'bash "$STACK_SRC/down.sh"' EXIT
# Without this an interrupt would run the EXIT trap only after the current step returns by itself.
trap 'exit 130' INT TERM

# The tests run the real binary (bin/kmon.js imports dist/).
npx tsc -p tsconfig.json
bash "$STACK_SRC/install.sh"
bash "$STACK_SRC/up.sh"

rc=0
npx vitest run --project e2e "$@" || rc=$?
exit "$rc"
