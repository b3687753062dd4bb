#!/usr/bin/env bash
# `npm start`: set-up on first run (dependencies, Temporal CLI, build), then the supervisor in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
# exec: the supervisor receives Ctrl-C / SIGTERM itself and stops its children in order.
exec node dist/scripts/start.js "$@"
