#!/bin/sh
# Fans one pushed change out to every replica's admin API (POST or DELETE /v1/entries; see the README's
# "Admin API"), so a listing pushed by a feed is served by the whole fleet within milliseconds.
#   DNSBL_REPLICAS="https://10.0.0.11:8953 https://10.0.0.12:8953" DNSBL_TOKEN_FILE=/etc/dnsbl/admin-token \
#     dnsbl-push.sh POST '{"file": "bl", "entry": "198.51.100.7", "value": ":127.0.0.3:Listed by hand $"}'
# Each replica gets three tries (a change is idempotent: the same add or remove twice is one change).
# Exit 1 naming the replicas that did not take it; they catch up when the primary's file carrying the
# change reaches them by rsync (a replica drops a journaled change the file already does), or run it again.
set -u
[ $# -eq 2 ] || { echo "usage: dnsbl-push.sh POST|DELETE JSON-BODY" >&2; exit 2; }
method=$1
body=$2
# the token goes to curl in a header file, not on its command line where ps would show it
header=$(mktemp)
trap 'rm -f "$header"' EXIT
printf 'Authorization: Bearer %s\n' "$(cat "${DNSBL_TOKEN_FILE:?DNSBL_TOKEN_FILE: the admin token file}")" > "$header"
failed=""
for replica in ${DNSBL_REPLICAS:?DNSBL_REPLICAS: the replicas admin URLs, space-separated}; do
  done_here=no
  for attempt in 1 2 3; do
    if curl -fsS --max-time 10 -X "$method" -H @"$header" -H 'Content-Type: application/json' \
            --data-binary "$body" "$replica/v1/entries" >/dev/null; then
      done_here=yes
      break
    fi
    sleep "$attempt"
  done
  [ "$done_here" = yes ] || failed="$failed $replica"
done
if [ -n "$failed" ]; then
  echo "dnsbl-push: not applied on:$failed" >&2
  exit 1
fi
