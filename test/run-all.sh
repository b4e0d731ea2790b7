#!/usr/bin/env bash
# `npm test`: type checks, main-process unit tests (bun, on the project's Bun and on the one
# Electrobun ships), UI unit tests (vitest), the end-to-end suites in Chromium against the real
# agent CLIs, the desktop window under Xvfb, and the reliability suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

# What the suites need beyond npm (.ci/run installs all of it on Debian).
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
for tool in Xvfb xdotool import dbus-daemon gcc; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
[ -x /usr/libexec/at-spi-bus-launcher ] || missing+=(at-spi2-core)
/usr/bin/python3 -c 'import gi; gi.require_version("Atspi", "2.0")' 2>/dev/null || missing+=(python3-gi gir1.2-atspi-2.0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Missing for the tests: ${missing[*]}. On Debian: bash .ci/run installs them (apt-get install chromium xvfb xdotool imagemagick dbus at-spi2-core python3-gi gir1.2-atspi-2.0 gcc libx11-dev)." >&2
  exit 1
fi

# Electrobun's native core: downloaded by `electrobun dev` where GitHub is reachable; built offline from
# the kit beside the repo otherwise (a repeat run does nothing).
CORE=node_modules/electrobun/dist-linux-x64/libNativeWrapper.so
if [ ! -f "$CORE" ] && [ -f ../shared/electrobun-core/build.sh ]; then
  bash ../shared/electrobun-core/build.sh node_modules/electrobun
fi
if [ ! -f "$CORE" ]; then
  echo "Electrobun's native core is missing ($CORE): run 'npx electrobun dev' once with internet, or build it with ../shared/electrobun-core/build.sh." >&2
  exit 1
fi
ELECTROBUN_BUN=node_modules/electrobun/dist-linux-x64/bun

step() { printf '\n== %s ==\n' "$1"; }
step "type check"
tsc --noEmit -p tsconfig.json
svelte-check --tsconfig ./tsconfig.json --threshold error --output human
step "main process (bun test, Bun $(bun --version))"
bun test --timeout 60000 ./src-bun ./test/model-server
step "main process on the Bun Electrobun ships (Bun $($ELECTROBUN_BUN --version); the desktop app runs on it)"
"$ELECTROBUN_BUN" test --timeout 60000 ./src-bun
step "UI (vitest)"
vitest run
step "build UI"
vite build --logLevel warn
step "end to end (Chromium + real agent CLIs)"
bun test --timeout 300000 ./test/e2e/
step "desktop window (Xvfb + Electrobun + real Claude Code, read through AT-SPI)"
bun test --timeout 300000 ./test/desktop/
step "reliability (real processes, signals and SQLite)"
bun test/reliability/run.ts
