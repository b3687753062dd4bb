#!/usr/bin/env bash
# Verifies a webhook delivery's signature as docs/guides/webhooks.md specifies: the MigrateClouds-Signature
# header is "t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<raw body>' keyed with the secret>", and a
# timestamp more than five minutes away is refused (a replay).
#
#   verify-webhook.sh HEADERS_FILE BODY_FILE
#
# HEADERS_FILE holds the request's headers, one "Name: value" a line (as a receiver or `curl -D` saves
# them); BODY_FILE its raw body, byte for byte. The secret (whsec_…, shown once when the webhook was
# registered) comes from MIGRATECLOUDS_WEBHOOK_SECRET. TOLERANCE_SECONDS overrides the five minutes.
# Exit status: 0 when the signature is valid, 1 otherwise.
set -euo pipefail

[ $# -eq 2 ] || { sed -n '6p' "$0" | sed 's/^# *//' >&2; exit 1; }
secret=${MIGRATECLOUDS_WEBHOOK_SECRET:?Set MIGRATECLOUDS_WEBHOOK_SECRET to the webhook secret (whsec_…)}
headers=$1 body=$2

# A header's value by its name, any case; without the line's CR.
header() { grep -i "^$1:" "$headers" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }

signature=$(header MigrateClouds-Signature)
[ -n "$signature" ] || { echo "invalid: no MigrateClouds-Signature header" >&2; exit 1; }
t=$(tr ',' '\n' <<<"$signature" | sed -n 's/^ *t=//p' | head -n 1)
[[ $t =~ ^[0-9]{1,12}$ ]] || { echo "invalid: the signature has no timestamp" >&2; exit 1; }

age=$(($(date +%s) - t))
if [ "${age#-}" -gt "${TOLERANCE_SECONDS:-300}" ]; then
  echo "invalid: signed $age seconds ago (a replay, or a clock that is off)" >&2
  exit 1
fi

# HMAC-SHA256 of "<t>." followed by the body's exact bytes.
expected=$({ printf '%s.' "$t"; cat "$body"; } | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
for given in $(tr ',' '\n' <<<"$signature" | sed -n 's/^ *v1=//p'); do
  if [ "$given" = "$expected" ]; then
    echo "valid: $(header MigrateClouds-Event) event, delivery $(header MigrateClouds-Delivery), signed at $t"
    exit 0
  fi
done
echo "invalid: the signature does not match this body and secret" >&2
exit 1
