#!/usr/bin/env bash
# Lists a folder of a connection, following next_page_token until the last page: one line per entry,
# "type<TAB>size<TAB>path".
#
#   list-files.sh CONNECTION_ID [/path] [--recursive]
#
# Environment: MIGRATECLOUDS_API_URL (default http://localhost:3000), MIGRATECLOUDS_API_KEY (default: the
# development key in .data/dev-api-key), PAGE_SIZE (1–1000, default 100).
set -euo pipefail

API="${MIGRATECLOUDS_API_URL:-http://localhost:3000}"
KEY_FILE="$(dirname "$0")/../../.data/dev-api-key"
KEY="${MIGRATECLOUDS_API_KEY:-$(cat "$KEY_FILE" 2>/dev/null || true)}"
[ -n "$KEY" ] || { echo "Set MIGRATECLOUDS_API_KEY (or run npm start, which writes $KEY_FILE)" >&2; exit 1; }
[ $# -ge 1 ] || { sed -n '5p' "$0" | sed 's/^# *//' >&2; exit 1; }

connection=$1
path=${2:-/}
recursive=false
[ "${3:-}" = --recursive ] && recursive=true

token=""
while :; do
  response=$(curl -sS -G "$API/v1/files/list" -H "Authorization: Bearer $KEY" \
    --data-urlencode "connection_id=$connection" --data-urlencode "path=$path" \
    --data-urlencode "recursive=$recursive" --data-urlencode "page_size=${PAGE_SIZE:-100}" \
    ${token:+--data-urlencode "page_token=$token"} -w '\n%{http_code}')
  status=${response##*$'\n'} json=${response%$'\n'*}
  if [ "$status" != 200 ]; then
    echo "GET /v1/files/list answered $status: $(jq -r '.error | "\(.code): \(.message) — \(.details)"' <<<"$json" 2>/dev/null || echo "$json")" >&2
    exit 1
  fi
  jq -r '.data.files[] | "\(.type)\t\(.size // "-")\t\(.path)"' <<<"$json"
  token=$(jq -r '.data.next_page_token // empty' <<<"$json")
  [ -n "$token" ] || break
done
