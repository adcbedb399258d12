#!/usr/bin/env bash
# Amplification with and without the response rate limiter: one question repeated at a fixed rate from
# one source address (what a reflection attack does), against the sample zones (zones/) and a generated
# many-records zone; amplification = bytes the server sent / bytes it received, from its own counters
# (dnsbl_sent_bytes_total / dnsbl_received_bytes_total, UDP). See README.md in this folder.
#
#   benchmarks/load/amplification.sh                       # ~1 min: 6 questions x {off, on}, 4 s each at 1000 qps
#   RRL_ARGS="--Dnsbl:RateLimit:ResponsesPerSecond=5 --Dnsbl:RateLimit:Slip=0" benchmarks/load/amplification.sh
#
# Needs: dnsperf, dig, curl, and the .NET SDK unless DNSBL_BIN points at a published DnsblServer.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RATE=${RATE:-1000}                  # dnsperf -Q: queries per second of the flood
DURATION=${DURATION:-4}             # seconds per question and mode
RRL_ARGS=${RRL_ARGS:-"--Dnsbl:RateLimit:ResponsesPerSecond=10 --Dnsbl:RateLimit:Slip=2"} # "on" (the deploy/ configs' values)
EDNS=${EDNS:-1}                     # 1: queries carry EDNS (dnsperf -e), as an attacker's do: answers up to 1232 bytes
RECORDS=${RECORDS:-100}             # records of the generated many-records name (A and TXT)
PORT=${PORT:-36353}
WORKDIR=${WORKDIR:-/tmp/dnsbl-amplification}
DNSBL_BIN=${DNSBL_BIN:-}

# shellcheck source=lib.sh
source "$HERE/lib.sh" # log, die, port_in_use, free_port, wait_answer
for tool in dnsperf dig curl awk; do command -v "$tool" >/dev/null || die "$tool not found"; done
mkdir -p "$WORKDIR"

SERVER_PID=
cleanup() {
    local rc=$?
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z $DNSBL_BIN ]]; then
    log "publishing DnsblServer (Release) from the working tree to $WORKDIR/bin"
    rm -rf "$WORKDIR/bin"
    dotnet publish -c Release -o "$WORKDIR/bin" --artifacts-path "$WORKDIR/artifacts" "$REPO/src/DnsblServer.Hosting" \
        >"$WORKDIR/publish.log" 2>&1 || { tail -20 "$WORKDIR/publish.log" >&2; die "dotnet publish failed"; }
    DNSBL_BIN=$WORKDIR/bin/DnsblServer
fi

# the many-records zone: one name with RECORDS A records and RECORDS TXT records of 100 bytes (generic dataset)
awk -v n="$RECORDS" 'BEGIN {
    print "$SOA 2100 ns1.many.example. hostmaster.many.example. 1 3600 600 604800 2100"
    print "$NS 86400 ns1.many.example ns2.many.example"
    for (i = 0; i < n; i++) printf "big A 127.0.%d.%d\n", int(i / 250), 1 + i % 250
    for (i = 0; i < n; i++) { s = sprintf("record %03d ", i); while (length(s) < 100) s = s "x"; printf "big TXT \"%s\"\n", s }
}' >"$WORKDIR/many.txt"

ZONES=(
    "dnsbl-1.uceprotect.example:ip4set:$REPO/zones/dnsbl-1.txt"
    "dnsbl-2.uceprotect.example:ip4set:$REPO/zones/dnsbl-2.txt"
    "dnsbl-6.uceprotect.example:ip6trie:$REPO/zones/dnsbl-6.txt"
    "dbl.uceprotect.example:dnset:$REPO/zones/dbl.txt"
    "many.example:generic:$WORKDIR/many.txt"
)
# the biggest answers an attacker would pick: ANY of a listed name (A + TXT), the apex, the many-records name
QUESTIONS=(
    "2.0.0.127.dnsbl-1.uceprotect.example ANY"
    "2.0.0.127.dnsbl-2.uceprotect.example ANY"
    "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.dnsbl-6.uceprotect.example ANY"
    "test.dbl.uceprotect.example ANY"
    "dnsbl-1.uceprotect.example ANY"
    "big.many.example ANY"
)

METRICS_PORT=
start() { # MODE ARGS...
    local mode=$1; shift
    PORT=$(free_port "$PORT"); local port=$PORT; PORT=$((PORT + 1))
    METRICS_PORT=$(free_port "$PORT"); PORT=$((METRICS_PORT + 1))
    "$DNSBL_BIN" -n -b "127.0.0.1/$port" --Dnsbl:UdpLoops=1 "--Dnsbl:Metrics:Listen=127.0.0.1:$METRICS_PORT" "$@" "${ZONES[@]}" \
        >"$WORKDIR/server-$mode.log" 2>&1 &
    SERVER_PID=$!
    wait_answer "$SERVER_PID" "$port" "2.0.0.127.dnsbl-1.uceprotect.example" 127.0.0.2 "$WORKDIR/server-$mode.log"
    SERVER_PORT=$port
    local started=$SECONDS
    until [[ $(curl -s "http://127.0.0.1:$METRICS_PORT/readyz" || true) == ready ]]; do
        (( SECONDS - started < 30 )) || die "metrics listener not ready"
        sleep 0.2
    done
}
stop() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }
counter() { # NAME{labels} -> value (0 when absent)
    { curl -s "http://127.0.0.1:$METRICS_PORT/metrics" || true; } | awk -v k="$1" '$1 == k { v = $2 } END { printf "%.0f", v + 0 }'
}

declare -A OUT=()
for mode in off on; do
    # shellcheck disable=SC2206
    if [[ $mode == on ]]; then extra=($RRL_ARGS); else extra=(); fi
    start "$mode" "${extra[@]}"
    log "$mode: DnsblServer pid $SERVER_PID on port $SERVER_PORT ${extra[*]}"
    for i in "${!QUESTIONS[@]}"; do
        echo "${QUESTIONS[$i]}" >"$WORKDIR/query.txt"
        r0=$(counter 'dnsbl_received_bytes_total{transport="udp"}'); s0=$(counter 'dnsbl_sent_bytes_total{transport="udp"}')
        l0=$(counter 'dnsbl_ratelimit_limited_total{dry_run="false"}'); p0=$(counter 'dnsbl_ratelimit_slipped_total{dry_run="false"}')
        edns=(); (( EDNS )) && edns=(-e)
        dnsperf -s 127.0.0.1 -p "$SERVER_PORT" -d "$WORKDIR/query.txt" -l "$DURATION" -Q "$RATE" -t 1 -q $((RATE * 2)) "${edns[@]}" \
            >"$WORKDIR/dnsperf-$mode-$i.txt" 2>&1 || true
        sleep 1.2 # the last replies and the counters settle
        r1=$(counter 'dnsbl_received_bytes_total{transport="udp"}'); s1=$(counter 'dnsbl_sent_bytes_total{transport="udp"}')
        l1=$(counter 'dnsbl_ratelimit_limited_total{dry_run="false"}'); p1=$(counter 'dnsbl_ratelimit_slipped_total{dry_run="false"}')
        sent=$(awk '/Queries sent:/ { print $3 }' "$WORKDIR/dnsperf-$mode-$i.txt")
        OUT[$i,$mode]=$(awk -v r=$((r1 - r0)) -v s=$((s1 - s0)) -v q="${sent:-0}" -v l=$((l1 - l0)) -v p=$((p1 - p0)) \
            'BEGIN { printf "%9d %9d %7.2f %8d %8d", r, s, r ? s / r : 0, l, p }')
        OUT[$i,q]=$sent
        OUT[$i,size]=$(awk '/Average packet size:/ { print $5 $6 $7 }' "$WORKDIR/dnsperf-$mode-$i.txt")
    done
    stop
done

echo
echo "== amplification: one question from 127.0.0.1 at $RATE qps for $DURATION s$( (( EDNS )) && echo ", EDNS 1232"); limiter on = $RRL_ARGS"
fmt='%-78s %-4s %9s %9s %7s %8s %8s\n'
printf "$fmt" question mode "in_bytes" "out_bytes" "ampl" limited slipped
for i in "${!QUESTIONS[@]}"; do
    for mode in off on; do
        # shellcheck disable=SC2086
        printf "$fmt" "${QUESTIONS[$i]}" "$mode" ${OUT[$i,$mode]}
    done
done
echo "  ampl = bytes sent / bytes received by the server over the run (UDP); off = also the per-name amplification an"
echo "  attacker rotating listed names gets with the limiter on (each name stays under its limit)"
echo "raw outputs: $WORKDIR"
