#!/usr/bin/env bash
# Throughput and CPU per query, direct and through dnsdist (PROXY v2), on loopback with dnsperf.
#   deploy/dnsdist/bench.sh [SECONDS]      (needs dnsdist, dnsperf; builds Release first)
# One replica, so the CPU columns compare one hop with two. The queries are 20,000 distinct addresses
# (1 in 10 listed), sent round and round: "through dnsdist, no cache" skips dnsdist's cache (every
# query reaches the replica); "cached" lets the cache answer the repeats.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-8}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release -v q src/DnsblServer.Hosting >/dev/null
python3 - "$work" <<'PY'
import random, sys
w = sys.argv[1]
random.seed(14)
listed, queries = [], []
for i in range(20000):
    a = [random.randrange(1, 224), random.randrange(256), random.randrange(256), random.randrange(1, 255)]
    if i % 10 == 0: listed.append(".".join(map(str, a)))
    queries.append(".".join(map(str, reversed(a))) + ".bl.example A")
open(f"{w}/bl.txt", "w").write("$SOA 2100 ns.bl.example. hostmaster.bl.example. 1 3600 600 86400 2100\n$NS 2100 ns.bl.example.\n:127.0.0.2:Listed\n127.0.0.2\n" + "\n".join(listed) + "\n")
open(f"{w}/queries", "w").write("\n".join(queries) + "\n")
PY
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
direct=15400 front=15401
dotnet src/DnsblServer.Hosting/bin/Release/net10.0/DnsblServer.dll -b 127.0.0.1/$direct -w "$work" bl.example:ip4set:bl.txt \
  --Dnsbl:ProxyProtocol:TrustedProxies:0=127.0.0.3 >"$work/server.log" 2>&1 & pids+=($!); server=$!
run_dnsdist() {
  DNSDIST_LISTEN=127.0.0.1:$front DNSBL_BACKENDS=127.0.0.1:$direct DNSBL_BACKEND_SOURCE=127.0.0.3 DNSDIST_ACL=127.0.0.0/8 \
  DNSDIST_SECURITY_POLL=no DNSBL_HEALTH_ZONE=bl.example DNSBL_CACHED_CLIENTS="$1" DNSDIST_DYNBLOCK_QPS=10000000 \
    dnsdist --supervised --disable-syslog -C deploy/dnsdist/dnsdist.conf >"$work/dnsdist.log" 2>&1 & pids+=($!); dnsdist=$!
  sleep 4
}
measure() {   # label port
  local s0 d0 out q
  s0=$(ticks $server); d0=$( [ -n "${dnsdist:-}" ] && ticks $dnsdist || echo 0)
  out=$(dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries" -l "$seconds" -c 4 -q 200 2>&1)
  q=$(awk '/Queries completed/ {print $3}' <<<"$out")
  local s1 d1; s1=$(ticks $server); d1=$( [ -n "${dnsdist:-}" ] && ticks $dnsdist || echo 0)
  local hz; hz=$(getconf CLK_TCK)
  printf '%-28s %8s q/s  lost %-12s  CPU us/query: server %6.1f  dnsdist %6.1f\n' "$1" \
    "$(awk '/Queries per second/ {print int($4)}' <<<"$out")" "$(awk '/Queries lost/ {print $3 $4}' <<<"$out")" \
    "$(echo "($s1-$s0)*1000000/$hz/$q" | bc -l)" "$(echo "($d1-$d0)*1000000/$hz/$q" | bc -l)"
}
sleep 4
dnsdist=
measure "direct" $direct
run_dnsdist 192.0.2.1/32; measure "through dnsdist, no cache" $front; kill $dnsdist; wait $dnsdist 2>/dev/null || true
run_dnsdist 0.0.0.0/0;   measure "through dnsdist, cached" $front
