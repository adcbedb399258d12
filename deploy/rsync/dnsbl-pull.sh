#!/bin/sh
# Pulls the zone files from the primary's rsync module into this replica's zone directory.
# Run by dnsbl-sync.timer (systemd), the zone-sync sidecar (Kubernetes) or by hand:
#   DNSBL_SOURCE=rsync://primary.example/dnsbl/ DNSBL_ZONE_DIR=/var/lib/dnsbl dnsbl-pull.sh
#
# Why no stall and no half-read file: rsync writes each changed file to a temporary name in the zone
# directory and renames it over the old one (rename(2) is atomic on one file system), and with
# --delay-updates it renames all of them together at the end of the transfer, so a zone made of
# several files changes as one. DnsblServer sees the new inode on its next poll (0.5 s, then its -c
# interval), loads it beside the old data while the old keeps answering, and swaps. A transfer cut
# half-way leaves the old files in place. Unchanged files are not touched (rsync's size+mtime check),
# so an idle pull costs one round trip and no reload.
set -eu
source=${DNSBL_SOURCE:?DNSBL_SOURCE, e.g. rsync://primary.example/dnsbl/}
dir=${DNSBL_ZONE_DIR:-/var/lib/dnsbl}
rsync --recursive --times --perms --chmod=F644,D755 --delay-updates \
      --timeout="${DNSBL_RSYNC_TIMEOUT:-300}" --contimeout=30 \
      --exclude='*.journal' --exclude='.*' \
      "$source" "$dir/"
# for a readiness probe or a monitor: when the last pull succeeded
date +%s > "$dir/.synced"
