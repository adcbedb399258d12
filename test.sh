#!/usr/bin/env bash
# The README's test command: installs what the tests need on a Debian machine (when missing), then
# runs every test. .ci/run calls this same script. Run as root or with sudo available.
#   ./test.sh                 everything (deploy checks, dotnet test, short fuzz runs)
#   ./test.sh --no-install    skip the package step (offline; tests that need a missing tool fail)
#   ./test.sh --no-fuzz       skip the short fuzzing run (tests/DnsblServer.Fuzzing/fuzz.sh --ci, ~3 min)
#   ./test.sh --setup-only    packages, deploy checks and fuzzing, but not dotnet test (.ci/run runs that itself)
#   ./test.sh -- ARGS         extra arguments for dotnet test (e.g. -- --filter FullyQualifiedName~Acl)
set -euo pipefail
cd "$(dirname "$0")"

install=1
fuzz=1
setup_only=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) install=0 ;;
    --no-fuzz) fuzz=0 ;;
    --setup-only) setup_only=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "test.sh: unknown option '$1' (see the top of test.sh)" >&2; exit 2 ;;
  esac
  shift
done

# Debian packages the tests start or call: rbldnsd (differential tests), dig/kdig (end-to-end),
# promtool and prometheus (metrics lint, alert rules), systemd-analyze (deploy checks), afl++ (fuzzing).
packages=(rbldnsd dnsutils knot-dnsutils prometheus systemd afl++ dnsdist rsync)
if [ "$install" = 1 ]; then
  need=()
  for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "test.sh: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # the Debian packages start an rbldnsd on port 53 and a prometheus on 9090; the tests start their own
    $sudo systemctl stop rbldnsd prometheus >/dev/null 2>&1 || true
    $sudo service rbldnsd stop >/dev/null 2>&1 || true
    $sudo service prometheus stop >/dev/null 2>&1 || true
  fi
fi
command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK is not installed (https://dot.net)" >&2; exit 2; }

# deploy/: alert rules (promtool check + unit tests), systemd units, Kubernetes manifests, Dockerfiles
bash deploy/check.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# every fuzz target for 10 s (coverage-guided, afl++ + SharpFuzz); a crash fails the run and names the input
if [ "$fuzz" = 1 ]; then
  bash tests/DnsblServer.Fuzzing/fuzz.sh --ci
fi
[ "$setup_only" = 1 ] && exit 0

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test DnsblServer.sln "${extra[@]}" 2>&1 | tee "$log" || status=$?
# one closing line for the reader: N passed, N failed
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
