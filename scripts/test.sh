#!/usr/bin/env bash
# `npm test`: install what is missing, then run every suite against the real Temporal dev server,
# PostgreSQL (DATABASE_URL_TEST) and Redis (REDIS_URL) when given. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh --no-build
export TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$(bash scripts/install-temporal.sh 2>/dev/null | tail -n 1)}"
export NODE_ENV=test
exec npx jest "$@"
