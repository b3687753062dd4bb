#!/usr/bin/env bash
# `npm run cluster`: set-up on first run (dependencies, Temporal CLI, build, the Temporal server, its SQL tool
# and Web UI built from their Go modules), then the cluster supervisor in dist/ (scripts/cluster.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
bash scripts/install-temporal-server.sh >/dev/null
exec node dist/scripts/cluster.js "$@"
