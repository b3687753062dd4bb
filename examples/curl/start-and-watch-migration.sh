#!/usr/bin/env bash
# Starts a migration, prints its progress until it ends, then saves every file's outcome as CSV and prints
# the summary report.
#
#   start-and-watch-migration.sh SOURCE_CONNECTION_ID:/path DESTINATION_CONNECTION_ID:/path [report.csv]
#
# Environment: MIGRATECLOUDS_API_URL (default http://localhost:3000), MIGRATECLOUDS_API_KEY (default: the
# development key in .data/dev-api-key), POLL_SECONDS (default 2).
# Exit status: 0 completed, 2 completed with errors, 1 failed, cancelled or any error on the way.
set -euo pipefail

API="${MIGRATECLOUDS_API_URL:-http://localhost:3000}"
KEY_FILE="$(dirname "$0")/../../.data/dev-api-key"
KEY="${MIGRATECLOUDS_API_KEY:-$(cat "$KEY_FILE" 2>/dev/null || true)}"
[ -n "$KEY" ] || { echo "Set MIGRATECLOUDS_API_KEY (or run npm start, which writes $KEY_FILE)" >&2; exit 1; }
[ $# -ge 2 ] || { sed -n '5p' "$0" | sed 's/^# *//' >&2; exit 1; }

# Calls the API; prints the response's data, or its error envelope on stderr and fails.
api() {
  local method=$1 path=$2 body=${3:-} response
  response=$(curl -sS -X "$method" "$API$path" -H "Authorization: Bearer $KEY" \
    ${body:+-H "Content-Type: application/json" -H "Idempotency-Key: $IDEMPOTENCY_KEY" --data "$body"} \
    -w '\n%{http_code}')
  local status=${response##*$'\n'} json=${response%$'\n'*}
  if [ "${status:0:1}" != 2 ]; then
    echo "$method $path answered $status: $(jq -r '.error | "\(.code): \(.message) — \(.details)"' <<<"$json" 2>/dev/null || echo "$json")" >&2
    return 1
  fi
  jq '.data' <<<"$json"
}

# "conn_…:/a/path" → {"connection_id":"conn_…","path":"/a/path"}
endpoint() {
  [[ $1 == *:/* ]] || { echo "'$1' is not CONNECTION_ID:/path" >&2; return 1; }
  jq -n --arg c "${1%%:*}" --arg p "${1#*:}" '{connection_id: $c, path: $p}'
}

# One key per run of this script: a retried POST cannot start a second migration.
IDEMPOTENCY_KEY=$(openssl rand -hex 16)
body=$(jq -n --argjson s "$(endpoint "$1")" --argjson d "$(endpoint "$2")" '{source: $s, destination: $d}')
id=$(api POST /v1/migrations "$body" | jq -r '.id')
echo "Started $id"

while :; do
  m=$(api GET "/v1/migrations/$id")
  status=$(jq -r '.status' <<<"$m")
  jq -r '"\(.status): \(.progress.files_copied) copied, \(.progress.files_skipped) skipped, \(.progress.files_failed) failed of \(.progress.files_discovered) found\(if .progress.listing_complete then "" else " so far" end); \(.progress.bytes_copied) bytes copied"' <<<"$m"
  case $status in completed | completed_with_errors | failed | cancelled) break ;; esac
  sleep "${POLL_SECONDS:-2}"
done

report_file=${3:-migration-$id-items.csv}
# Every item in one response: one request against the rate limit whatever the migration's size.
curl -sSf "$API/v1/migrations/$id/items?format=csv" -H "Authorization: Bearer $KEY" -o "$report_file"
echo "Saved every file's outcome to $report_file"
api GET "/v1/migrations/$id/report" | jq -r '
  "Report: \(.totals.files) files, \(.totals.bytes) bytes: \(.totals.copied) copied, \(.totals.skipped) skipped, \(.totals.failed) failed",
  (.by_reason[] | "  \(.count) \(.status): \(.reason)")'

case $status in
  completed) exit 0 ;;
  completed_with_errors) exit 2 ;;
  *) echo "Migration $id ended $status" >&2; exit 1 ;;
esac
