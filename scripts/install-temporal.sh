#!/usr/bin/env bash
# Makes a Temporal CLI available and prints its path on the last line of stdout.
# Order: `temporal` on PATH, then .tools/bin/temporal, then a build with Go >= 1.25.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=v1.5.1 # newest CLI release whose go.mod allows `go install` (later ones carry a replace directive)
LOCAL_BIN="$PWD/.tools/bin/temporal"

log() { echo "[install-temporal] $*" >&2; }

if command -v temporal >/dev/null 2>&1; then
  log "using temporal from PATH"
  command -v temporal
  exit 0
fi
if [ -x "$LOCAL_BIN" ]; then
  echo "$LOCAL_BIN"
  exit 0
fi

go_ok() {
  command -v go >/dev/null 2>&1 || return 1
  local v major minor
  v=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [ "${major:-0}" -gt 1 ] || { [ "${major:-0}" -eq 1 ] && [ "${minor:-0}" -ge 25 ]; }
}
if ! go_ok; then
  log "No Temporal CLI found and no Go >= 1.25 to build one."
  log "Install it with the official installer: curl -sSf https://temporal.download/cli.sh | sh"
  log "(or see https://docs.temporal.io/cli#install), then put 'temporal' on PATH."
  exit 1
fi

mkdir -p "$PWD/.tools/bin"
log "building github.com/temporalio/cli/cmd/temporal@$VERSION with $(go version) — the first build takes several minutes"
# Print a heartbeat while go builds, so a user knows it is not stuck.
( while sleep 15; do log "still building… ($(date +%H:%M:%S))"; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
CGO_ENABLED=0 GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$VERSION" >&2
kill $ticker 2>/dev/null || true
log "built $LOCAL_BIN"
echo "$LOCAL_BIN"
