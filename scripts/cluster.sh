#!/usr/bin/env bash
# `npm run cluster`: set-up on first run (dependencies, Temporal CLI, build, the Temporal server, its SQL tool
# and Web UI built from their Go modules), then the cluster supervisor in dist/ (scripts/cluster.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
bash scripts/install-temporal-server.sh >/dev/null
# The load balancer: Debian's haproxy, installed here when missing and allowed (root with apt-get).
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ] && [ -z "${HAPROXY_PATH:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[cluster] installing haproxy (apt-get)…" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; } >&2
  fi
fi
exec node dist/scripts/cluster.js "$@"
