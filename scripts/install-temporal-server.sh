#!/usr/bin/env bash
# Builds what `npm run cluster` runs, from Temporal's own Go modules, into .tools/bin (once):
#   temporal-server     go.temporal.io/server/cmd/server (every service: frontend, history, matching, worker)
#   temporal-sql-tool   go.temporal.io/server/cmd/tools/sql (creates and migrates the PostgreSQL schemas)
#   temporal-ui-server  github.com/temporalio/ui-server/v2/cmd/server (the Web UI)
# The versions are those the Temporal CLI v1.5.1 bundles (install-temporal.sh), so `npm start` and the
# cluster run the same server; docker-compose.yml pins the same images. Needs Go >= 1.25 and the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER_VERSION=v1.29.1
UI_VERSION=v2.42.1
BIN="$PWD/.tools/bin"

log() { echo "[install-temporal-server] $*" >&2; }

# name, package@version
build() {
  local name=$1 pkg=$2
  if [ -x "$BIN/$name" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { log "Go is needed to build $pkg (https://go.dev/dl/)"; exit 1; }
  local tmp
  tmp=$(mktemp -d)
  log "building $pkg with $(go version) — the first build takes a few minutes"
  ( while sleep 20; do log "still building $name… ($(date +%H:%M:%S))"; done ) &
  local ticker=$!
  # Every binary of these modules is called `server`: each is built alone and renamed.
  if ! CGO_ENABLED=0 GOBIN="$tmp" GOFLAGS=-mod=mod go install "$pkg" >&2; then
    kill $ticker 2>/dev/null || true
    rm -rf "$tmp"
    log "could not build $pkg"
    exit 1
  fi
  kill $ticker 2>/dev/null || true
  mkdir -p "$BIN"
  mv "$tmp"/* "$BIN/$name"
  rm -rf "$tmp"
  log "built $BIN/$name"
}

build temporal-server "go.temporal.io/server/cmd/server@$SERVER_VERSION"
build temporal-sql-tool "go.temporal.io/server/cmd/tools/sql@$SERVER_VERSION"
build temporal-ui-server "github.com/temporalio/ui-server/v2/cmd/server@$UI_VERSION"
echo "$BIN"
