#!/usr/bin/env bash
# `npm test`: type checks, main-process unit tests (bun), UI unit tests (vitest),
# then the end-to-end suite in Chromium against the real agent CLIs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium is missing: install it with 'apt-get install -y chromium' (.ci/run does), or set CHROMIUM_PATH." >&2
  exit 1
fi

step() { printf '\n== %s ==\n' "$1"; }
step "type check"
tsc --noEmit -p tsconfig.json
svelte-check --tsconfig ./tsconfig.json --threshold error --output human
step "main process (bun test)"
bun test --timeout 60000 ./src-bun ./test/model-server
step "UI (vitest)"
vitest run
step "build UI"
vite build --logLevel warn
step "end to end (Chromium + real agent CLIs)"
bun test --timeout 300000 ./test/e2e/
step "reliability (real processes, signals and SQLite)"
bun test/reliability/run.ts
