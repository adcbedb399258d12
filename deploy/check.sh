#!/usr/bin/env bash
# Offline checks of deploy/: everything that can be checked without Docker, systemd as PID 1 or a
# Kubernetes cluster. Needs promtool (Debian: prometheus), python3 with PyYAML, systemd-analyze
# (Debian: systemd); node/npm for the schema and Dockerfile checks (skipped, and said so, without).
# .ci/run runs it; any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== prometheus: promtool check rules / test rules"
promtool check rules deploy/prometheus/alerts.yml
(cd deploy/prometheus && promtool test rules alerts.test.yml)

echo "== grafana: JSON"
python3 -m json.tool deploy/grafana/dnsblserver.json >/dev/null && echo "deploy/grafana/dnsblserver.json: valid JSON"

echo "== systemd: systemd-analyze verify"
if command -v systemd-analyze >/dev/null; then
  # the binaries the units start need not be installed here: point ExecStart at stubs
  printf '#!/bin/sh\n' >"$tmp/stub" && chmod +x "$tmp/stub"
  for unit in dnsblserver.service dnsbl-sync.service dnsbl-sync.timer; do
    sed -e "s|/opt/dnsblserver/DnsblServer|$tmp/stub|; s|/usr/bin/rsync|$tmp/stub|" "deploy/systemd/$unit" >"$tmp/$unit"
  done
  # verify exits 0 on unknown keys and bad values (it only warns): any output is a failure
  out=$(cd "$tmp" && systemd-analyze verify --man=no ./dnsblserver.service ./dnsbl-sync.service ./dnsbl-sync.timer 2>&1) || { echo "$out"; exit 1; }
  if [ -n "$out" ]; then echo "$out"; exit 1; fi
  echo "deploy/systemd: 3 units verified"
else
  echo "systemd-analyze not installed: units NOT verified"
fi

echo "== dnsdist: dnsdist --check-config (the default environment, and a test-like one)"
if command -v dnsdist >/dev/null; then
  dnsdist --check-config -C deploy/dnsdist/dnsdist.conf
  DNSDIST_LISTEN=127.0.0.1:5300 DNSBL_BACKENDS=127.0.0.1:5301,127.0.0.1:5302 DNSBL_BACKEND_SOURCE=127.0.0.3 \
    DNSBL_CACHED_CLIENTS=127.0.0.1/32 DNSDIST_POLICY=roundrobin DNSDIST_SECURITY_POLL=no DNSDIST_WEBSERVER=127.0.0.1:8083 \
    dnsdist --check-config -C deploy/dnsdist/dnsdist.conf
else
  echo "dnsdist not installed: deploy/dnsdist/dnsdist.conf NOT checked"
fi

echo "== rsync: shell syntax of the pull and push scripts"
for script in deploy/rsync/*.sh; do sh -n "$script" && echo "$script: sh -n clean"; done

echo "== kubernetes: structure"
python3 deploy/check/kubernetes-basics.py

echo "== kubernetes: OpenAPI schemas (npm kubernetes-models), Dockerfile (npm dockerfile-utils)"
cache=${DEPLOY_CHECK_NPM:-/tmp/dnsblserver-deploy-check}
if command -v npm >/dev/null && { [ -d "$cache/node_modules/kubernetes-models" ] ||
     (mkdir -p "$cache" && cd "$cache" && npm install --silent --no-audit --no-fund --no-save \
        kubernetes-models@4.5.1 js-yaml@5.5.0 dockerfile-utils@0.16.3 >/dev/null 2>&1); }; then
  NODE_PATH="$cache/node_modules" node deploy/check/kubernetes-schema.mjs deploy/kubernetes/*.yaml
  "$cache/node_modules/.bin/dockerfile-utils" lint deploy/docker/Dockerfile
  "$cache/node_modules/.bin/dockerfile-utils" lint deploy/docker/zone-sync.Dockerfile
  echo "deploy/docker: Dockerfiles lint clean"
else
  echo "npm or the packages unavailable: schemas and Dockerfiles NOT checked"
fi
echo "deploy/check.sh: all checks passed"
