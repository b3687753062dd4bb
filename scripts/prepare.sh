#!/usr/bin/env bash
# Shared set-up for the README commands: dependencies, Temporal CLI, and a build when sources changed.
# Flags: --no-build (skip tsc), --no-temporal (skip the Temporal CLI), --no-install (never run npm ci, e.g. from
# inside a running test), --quiet (nothing on stdout; stderr only on failure).
# Whatever happens, stdout stays clean, so that `npm run -s cli -- … | jq` can pipe.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1; temporal=1; install=1; quiet=0
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --no-temporal) temporal=0 ;;
    --no-install) install=0 ;;
    --quiet) quiet=1 ;;
    *) echo "prepare.sh: unknown flag $a" >&2; exit 2 ;;
  esac
done
say() { [ "$quiet" = 1 ] || echo "[prepare] $*" >&2; }
# Runs a step with its output on stderr; in quiet mode the output is shown only if the step fails.
step() {
  if [ "$quiet" = 1 ]; then
    local out
    if ! out=$("$@" 2>&1); then echo "$out" >&2; return 1; fi
  else
    "$@" >&2
  fi
}

if [ "$install" = 1 ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  say "installing dependencies (npm ci)…"
  step npm ci --no-audit --no-fund
fi
if [ "$temporal" = 1 ]; then
  # Its last stdout line is the CLI's path, which callers here do not need.
  step bash scripts/install-temporal.sh
fi
if [ "$build" = 1 ]; then
  mkdir -p dist
  stamp=dist/.build-stamp
  # One build at a time when several commands start together (e.g. `npm run worker` and `npm run api`).
  if command -v flock >/dev/null 2>&1; then exec 9>dist/.build-lock && flock 9; fi
  # clients/typescript/src, not clients/: the SDK's dist/ is built output, newer than the stamp.
  if [ ! -f "$stamp" ] || [ -n "$(find api workflows activities connectors store worker cli common scripts emulators bench console \
      clients/typescript/src clients/typescript/tsconfig.json examples tsconfig.json tsconfig.build.json package-lock.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    say "building (tsc)…"
    # A stamp written before the build: a source edited while tsc runs is newer, so it triggers the next build.
    touch "$stamp.next"
    step npm run -s build
    mv "$stamp.next" "$stamp"
  fi
fi
