#!/bin/sh
# One-shot: the `default` namespace and the project's search attributes (names in contract/temporal.ts), run by
# the temporal-namespace service in docker-compose.yml once the frontends are healthy, through the load balancer.
# Safe to re-run.
set -eu
NAMESPACE="${DEFAULT_NAMESPACE:-default}"
ADDRESS="${TEMPORAL_ADDRESS:-lb:7233}"
SEARCH_ATTRIBUTES="${SEARCH_ATTRIBUTES:-MigrationAccountId MigrationSourceService MigrationDestinationService}"

echo "waiting for Temporal at ${ADDRESS}…"
attempt=0
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then echo "Temporal did not become healthy" >&2; exit 1; fi
  sleep 2
done

temporal operator namespace describe -n "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1 ||
  temporal operator namespace create -n "$NAMESPACE" --address "$ADDRESS"
echo "namespace ${NAMESPACE} is there"

existing=$(temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS")
for name in $SEARCH_ATTRIBUTES; do
  if echo "$existing" | grep -qw "$name"; then
    echo "search attribute ${name} already exists"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --address "$ADDRESS" \
      --name "$name" --type Keyword
  fi
done
echo "search attributes registered: ${SEARCH_ATTRIBUTES}"
