#!/usr/bin/env bash
# Shared set-up for the README commands: dependencies, Temporal CLI, and a build when sources changed.
# Flags: --no-build (skip tsc), --quiet (only errors).
set -euo pipefail
cd "$(dirname "$0")/.."
build=1; quiet=0
for a in "$@"; do
  case "$a" in --no-build) build=0 ;; --quiet) quiet=1 ;; esac
done
say() { [ "$quiet" = 1 ] || echo "[prepare] $*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund >&2
fi
bash scripts/install-temporal.sh >/dev/null
if [ "$build" = 1 ]; then
  stamp=dist/.build-stamp
  if [ ! -f "$stamp" ] || [ -n "$(find api workflows activities connectors store worker cli common scripts emulators \
      tsconfig.json tsconfig.build.json package-lock.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    say "building (tsc)…"
    npx tsc -p tsconfig.build.json
    touch "$stamp"
  fi
fi
