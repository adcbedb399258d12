#!/usr/bin/env bash
# UDP load comparison: rbldnsd vs DnsblServer on the same generated ip4set zone, driven by dnsperf
# over loopback. See README.md in this folder for what is measured and how to read the tables.
#
#   benchmarks/load/run.sh                   # 1M addresses; 3 interleaved rounds at 50k, 100k qps and unthrottled; ~3.5 min
#   NICE=-20 benchmarks/load/run.sh          # as root on a shared machine: shield the runs from other sessions' load
#   ROUNDS=1 RATES=100000 MAX=0 benchmarks/load/run.sh   # one 10 s run per server at 100k qps, ~1 min
#   METRICS=both benchmarks/load/run.sh      # DnsblServer without metrics vs with (Prometheus + -s), instead of rbldnsd
#   KEYED=1 benchmarks/load/run.sh           # DnsblServer unkeyed vs the same zone keyed (KEYS keys, queries carrying one)
#   AB_ARGS="--Dnsbl:RateLimit:ResponsesPerSecond=20" ROUNDS=1 RATES=100000 MAX=0 benchmarks/load/run.sh
#                                            # DnsblServer as is vs with these arguments (any A/B of settings), instead of rbldnsd
#
# Every knob is an environment variable (defaults below). Needs: rbldnsd, dnsperf, dig, taskset,
# awk, and the .NET SDK unless DNSBL_BIN points at a published DnsblServer.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

DATASET=${DATASET:-ip4set}          # ip4set | ip6trie | dnset, or several ("ip4set ip6trie dnset" or all): one run each
ADDRESSES=${ADDRESSES:-1000000}     # listed entries in the zone (ip4set: single IPv4 addresses; see gen-data.py for the others)
QUERIES=${QUERIES:-200000}          # lines in the dnsperf query file (dnsperf loops over it)
SEED=${SEED:-20240601}              # the data is deterministic for a given size and seed
case $DATASET in ip4set) rates="50000 100000" ;; *) rates=50000 ;; esac
RATES=${RATES:-${RATE:-$rates}}     # dnsperf -Q of the fixed-rate runs (ip6trie and dnset: 50000)
ROUNDS=${ROUNDS:-3}                 # rounds; each round runs every rate on both servers, alternating which goes first
DURATION=${DURATION:-10}            # seconds per fixed-rate run (so ROUNDS x DURATION per server and rate)
MAX=${MAX:-1}                       # 1: each round also runs unthrottled (max qps)
MAX_DURATION=${MAX_DURATION:-5}     # seconds per unthrottled run
SCALING=${SCALING:-auto}            # DnsblServer with its default loops (one per CPU it may use), one round:
                                    # auto = with 3+ CPUs, pinned to every CPU but CLIENT_CPU;
                                    # 1 = also on 2 CPUs, unpinned (then it shares dnsperf's core); 0 = never
WARMUP=${WARMUP:-5}                 # seconds of warm-up traffic per server before measuring (JIT tiering, PGO)
WARMUP_RATE=${WARMUP_RATE:-50000}
CLIENTS=${CLIENTS:-1}               # dnsperf -c (sockets)
THREADS=${THREADS:-1}               # dnsperf -T (one thread tops out near 100k qps on a 2-vCPU EPYC VM)
OUTSTANDING=${OUTSTANDING:-100}     # dnsperf -q (rbldnsd's socket buffer overflows with many more)
TIMEOUT=${TIMEOUT:-2}               # dnsperf -t: a reply later than this counts as lost
SERVER_CPU=${SERVER_CPU:-0}         # taskset -c for both pinned servers
CLIENT_CPU=${CLIENT_CPU:-1}         # taskset -c for dnsperf
NICE=${NICE:-0}                     # nice for servers and dnsperf; < 0 (root) also renices this run's own session
QUIET_WAIT=${QUIET_WAIT:-2}         # before each run, wait up to this many seconds for the machine to go quiet
QUIET_PCT=${QUIET_PCT:-15}          # ... i.e. below this % of one core busy
PERF=${PERF:-0}                     # 1: after the rounds, 10 s of `perf record` on each pinned server; top symbols
PERF_TOP=${PERF_TOP:-25}
PORT=${PORT:-35353}                 # first port tried; each server gets the next free one
WORKDIR=${WORKDIR:-/tmp/dnsbl-load} # data, logs, dnsperf outputs (data reused while size and seed match)
RBLDNSD=${RBLDNSD:-/usr/sbin/rbldnsd}
DNSBL_BIN=${DNSBL_BIN:-}            # a published DnsblServer; empty = publish one to $WORKDIR/bin
DNSBL_REV=${DNSBL_REV:-}            # with DNSBL_BIN empty: publish this git revision (e.g. HEAD) instead of the working tree
DNSBL_ARGS=${DNSBL_ARGS:-}          # more arguments for every DnsblServer started, e.g. "--Dnsbl:UdpBatchWait=0"
DNSPERF_ARGS=${DNSPERF_ARGS:-}      # more dnsperf arguments for every run, e.g. "-E 10:0102030405060708" (a client cookie)
METRICS=${METRICS:-off}             # off: DnsblServer as is; on: with --Dnsbl:Metrics:Listen and -s; both: DnsblServer
                                    # without metrics is the reference (in rbldnsd's place) and with metrics the other
KEYED=${KEYED:-0}                   # 1: DnsblServer unkeyed is the reference (in rbldnsd's place) and the same zone with a keys
KEYS=${KEYS:-10000}                 # dataset of KEYS keys the other; its queries carry one key (unlimited) as NAME.KEY.zone
AB_ARGS=${AB_ARGS:-}                # words: DnsblServer without them is the reference (in rbldnsd's place), with them the other
METRICS_SCRAPE=${METRICS_SCRAPE:-5} # with metrics: GET /metrics every this many seconds while the server runs
[[ $DATASET == all ]] && DATASET="ip4set ip6trie dnset"
if [[ $DATASET == *" "* ]]; then
    # one run per type, one after the other, each with its own defaults
    for type in $DATASET; do
        DATASET=$type "$0" "$@" || exit $?
        # the later types reuse the binary the first one published
        [[ -n $DNSBL_BIN ]] || DNSBL_BIN=$WORKDIR/bin/DnsblServer
        export DNSBL_BIN
    done
    exit 0
fi
case $DATASET in
    ip4set)  ZONE=${ZONE:-dnsbl-1.uceprotect.example}; ZONE_FILE=dnsbl-1.uceprotect.net
             PROBE=2.0.0.127 ;;
    ip6trie) ZONE=${ZONE:-ip6.dnsbl.example}; ZONE_FILE=ip6trie-list
             PROBE=1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 ;;
    dnset)   ZONE=${ZONE:-dbl.example}; ZONE_FILE=dnset-list
             PROBE=probe.example.com ;;
    *) echo "DATASET must be ip4set, ip6trie, dnset, several of them, or all" >&2; exit 2 ;;
esac

# NICE < 0: Linux groups CPU shares per session (autogroup), so a plain nice does not shield the
# runs from other sessions' builds. Re-run in a session of our own and renice that group only.
if (( NICE < 0 )) && [[ -z ${LOAD_OWN_SESSION:-} && -w /proc/self/autogroup ]] \
   && [[ $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null) == 1 ]] && command -v setsid >/dev/null; then
    LOAD_OWN_SESSION=1 setsid -w "$BASH" "$0" "$@" &
    child=$!
    trap 'kill -TERM "$child" 2>/dev/null' INT TERM
    rc=0; wait "$child" || rc=$?
    while kill -0 "$child" 2>/dev/null; do wait "$child" || rc=$?; done
    exit "$rc"
fi
if [[ -n ${LOAD_OWN_SESSION:-} ]]; then echo "$NICE" >/proc/self/autogroup; fi

# shellcheck source=lib.sh
source "$HERE/lib.sh" # log, die, port_in_use, proc_ticks, busy_ticks

case $METRICS in off|on|both) ;; *) die "METRICS must be off, on or both" ;; esac
[[ -z $AB_ARGS || $METRICS != both ]] || die "AB_ARGS and METRICS=both are two different comparisons: choose one"
# shellcheck disable=SC2206
AB=($AB_ARGS)
[[ $METRICS == off ]] || command -v curl >/dev/null || die "curl not found (needed to scrape /metrics)"
for tool in dnsperf dig taskset awk; do command -v "$tool" >/dev/null || die "$tool not found"; done
[[ -x $RBLDNSD ]] || die "rbldnsd not found at $RBLDNSD (set RBLDNSD)"
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc --all)
(( NCPU >= 2 )) || log "WARNING: $NCPU CPU(s): server and dnsperf will share a core"
mkdir -p "$WORKDIR"
chmod 755 "$WORKDIR"

# ---------------------------------------------------------------- processes and cleanup
declare -A PID=() SPORT=()   # by server name
DNSPERF_PID=
SCRAPER_PIDS=()
cleanup() {
    local rc=$? name
    for name in "${SCRAPER_PIDS[@]}"; do kill "$name" 2>/dev/null || true; wait "$name" 2>/dev/null || true; done
    if [[ -n $DNSPERF_PID ]] && kill -0 "$DNSPERF_PID" 2>/dev/null; then
        kill "$DNSPERF_PID" 2>/dev/null || true
        wait "$DNSPERF_PID" 2>/dev/null || true
    fi
    for name in "${!PID[@]}"; do
        kill "${PID[$name]}" 2>/dev/null || true
        wait "${PID[$name]}" 2>/dev/null || true
    done
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server NAME CPUS(empty = unpinned) LOGFILE ENV... -- COMMAND... ; the command gets its
# port through the word @PORT@. Waits until the server answers for 127.0.0.2.
start_server() {
    local name=$1 cpus=$2 logfile=$3
    shift 3
    local -a envs=() cmd=() pin=()
    while [[ $1 != -- ]]; do envs+=("$1"); shift; done
    shift
    # a free UDP+TCP port: a leftover DnsblServer with SO_REUSEPORT would silently take half the queries
    while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
    local port=$PORT
    PORT=$((PORT + 1))
    local arg
    for arg in "$@"; do cmd+=("${arg//@PORT@/$port}"); done
    [[ -n $cpus ]] && pin=(taskset -c "$cpus")
    env "${envs[@]}" nice -n "$NICE" "${pin[@]}" "${cmd[@]}" >"$logfile" 2>&1 &
    PID[$name]=$!
    SPORT[$name]=$port
    local started=$SECONDS
    until [[ $(dig +short +tries=1 +time=1 -p "$port" @127.0.0.1 "$PROBE.${KEYLABEL[$name]:-}$ZONE" A 2>/dev/null) == 127.0.0.2 ]]; do
        kill -0 "${PID[$name]}" 2>/dev/null || { cat "$logfile" >&2; unset "PID[$name]"; die "$name exited during start-up"; }
        (( SECONDS - started < 90 )) || die "$name did not answer within 90 s"
        sleep 0.2
    done
    log "$name: pid ${PID[$name]}, port $port${cpus:+, cpu $cpus}, answers after $((SECONDS - started)) s, RSS $(awk '/VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/${PID[$name]}/status")"
}

stop_server() {
    local name=$1
    [[ -n ${PID[$name]:-} ]] || return 0
    kill "${PID[$name]}" 2>/dev/null || true
    wait "${PID[$name]}" 2>/dev/null || true
    unset "PID[$name]"
}

# ---------------------------------------------------------------- /proc readers
children_ticks() { # VAR: cutime + cstime of this shell (CPU of its reaped children) into VAR, no subshell
    local var=$1 s
    read -r s <"/proc/$BASHPID/stat"
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    printf -v "$var" '%d' $(( ${14} + ${15} ))
}

thread_ticks() { # PID -> "tid ticks name" per thread
    local f s name tid
    for f in /proc/"$1"/task/*/stat; do
        read -r s <"$f" 2>/dev/null || continue
        name=${s#*(}; name=${name%)*}
        tid=${f%/stat}; tid=${tid##*/}
        s=${s##*) }
        # shellcheck disable=SC2086
        set -- $s
        printf '%s %s %s\n' "$tid" $(( ${12} + ${13} )) "${name// /_}"
    done
}

# ---------------------------------------------------------------- data
DATA=$WORKDIR/data
[[ $DATASET == ip4set ]] || DATA=$WORKDIR/data-$DATASET
STAMP="$ADDRESSES $QUERIES $SEED $ZONE"
if [[ $DATASET != ip4set && ( ! -f $DATA/stamp || $(<"$DATA/stamp") != "$STAMP" ) ]]; then
    command -v python3 >/dev/null || die "python3 not found (needed to generate the $DATASET data)"
    log "generating $ADDRESSES $DATASET entries and $QUERIES queries (seed $SEED) in $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    python3 "$HERE/gen-data.py" "$DATASET" "$ADDRESSES" "$QUERIES" "$SEED" "$ZONE" "$DATA/$ZONE_FILE" "$DATA/queries.txt"
    echo "$STAMP" >"$DATA/stamp"
elif [[ ! -f $DATA/stamp || $(<"$DATA/stamp") != "$STAMP" ]]; then
    log "generating $ADDRESSES addresses and $QUERIES queries (seed $SEED) in $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    awk -v n="$ADDRESSES" -v q="$QUERIES" -v seed="$SEED" -v zone="$ZONE" \
        -v zfile="$DATA/$ZONE_FILE" -v qfile="$DATA/queries.txt" '
    function addr() { return (1 + int(rand() * 223)) "." int(rand() * 256) "." int(rand() * 256) "." int(rand() * 256) }
    function rev(ip,   o) { split(ip, o, "."); return o[4] "." o[3] "." o[2] "." o[1] "." zone }
    function mix(file, count,   i, ip) {
        # exactly half listed / half not listed, and A / TXT evenly over both
        for (i = 0; i < count; i++) {
            if (i % 2 == 0) ip = list[1 + int(rand() * n)]
            else { do ip = addr(); while (ip in seen) }
            print rev(ip) " " (int(i / 2) % 2 == 0 ? "A" : "TXT") > file
        }
    }
    BEGIN {
        srand(seed)
        print "# Generated by benchmarks/load/run.sh: " n " random single addresses (seed " seed "), UCEPROTECT-like header" > zfile
        print "$SOA 2100 ns1.uceprotect.example. dnsbladmin.uceprotect.example. 1700000000 3600 600 604800 2100" > zfile
        print "$NS 86400 ns1.uceprotect.example ns2.uceprotect.example" > zfile
        print "$TTL 2100" > zfile
        print ":127.0.0.2:Your IP $ is UCEPROTECT-Level1 listed. See http://www.uceprotect.example/rblcheck.php?ipr=$" > zfile
        print "127.0.0.2" > zfile
        seen["127.0.0.2"] = 1
        for (k = 0; k < n; ) {
            ip = addr()
            if (ip in seen) continue
            seen[ip] = 1; list[++k] = ip
            print ip > zfile
        }
        mix(qfile, q)
        mix(qfile ".warmup", 20000)   # warm-up traffic: other names, same mix
    }'
    echo "$STAMP" >"$DATA/stamp"
fi
chmod 755 "$DATA"
chmod 644 "$DATA"/*
if id rbldns >/dev/null 2>&1 && command -v runuser >/dev/null && (( EUID == 0 )); then
    runuser -u rbldns -- test -r "$DATA/$ZONE_FILE" \
        || die "$DATA/$ZONE_FILE is not readable by user rbldns (rbldnsd started as root drops to it); use a WORKDIR under /tmp"
fi
log "zone $ZONE ($DATASET): $(grep -c -v '^[#$:]' "$DATA/$ZONE_FILE") entries, $(du -h "$DATA/$ZONE_FILE" | cut -f1); queries: $(wc -l <"$DATA/queries.txt")"

# ---------------------------------------------------------------- our binary
if [[ -z $DNSBL_BIN ]]; then
    src=$REPO
    if [[ -n $DNSBL_REV ]]; then
        # a clean copy of a committed revision (the working tree may be mid-edit); the repository is not touched
        rev=$(git -C "$REPO" rev-parse --short "$DNSBL_REV") || die "unknown revision $DNSBL_REV"
        src=$WORKDIR/src-$rev
        if [[ ! -d $src ]]; then
            mkdir -p "$src.tmp"
            git -C "$REPO" archive "$rev" | tar -x -C "$src.tmp"
            mv "$src.tmp" "$src"
        fi
    fi
    DNSBL_BIN=$WORKDIR/bin/DnsblServer
    if [[ -n ${rev:-} ]]; then BIN_DESC="revision $rev"
    else BIN_DESC="working tree at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -z $(git -C "$REPO" status --porcelain -- src 2>/dev/null) ]] || echo ' + uncommitted changes in src/')"; fi
    log "publishing DnsblServer (Release) from $BIN_DESC to $WORKDIR/bin"
    # --artifacts-path keeps obj/ and bin/ out of the source tree (others may be building it)
    rm -rf "$WORKDIR/bin"
    dotnet publish -c Release -o "$WORKDIR/bin" --artifacts-path "$WORKDIR/artifacts" "$src/src/DnsblServer.Hosting" \
        >"$WORKDIR/publish.log" 2>&1 || { tail -20 "$WORKDIR/publish.log" >&2; die "dotnet publish failed (see $WORKDIR/publish.log)"; }
fi
if [[ -z ${BIN_DESC:-} ]]; then BIN_DESC="$DNSBL_BIN (prebuilt, $(date -r "$DNSBL_BIN" '+%F %T'))"; fi
[[ -x $DNSBL_BIN ]] || die "$DNSBL_BIN is not executable"

# ---------------------------------------------------------------- dnsperf runs
# dnsperf_run SERVER OUTFILE ARGS...: dnsperf pinned to CLIENT_CPU. It runs in the background and is
# waited for, so a signal to this script is handled at once (bash defers traps during a foreground child).
dnsperf_run() {
    local server=$1 out=$2
    shift 2
    nice -n "$NICE" taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "${SPORT[$server]}" -c "$CLIENTS" -T "$THREADS" \
        -q "$OUTSTANDING" -t "$TIMEOUT" "${DNSPERF_EXTRA[@]}" "$@" >"$out" 2>&1 &
    DNSPERF_PID=$!
    wait "$DNSPERF_PID" || true
    DNSPERF_PID=
}

# Waits (up to QUIET_WAIT s) until the machine, servers idle, is busy less than QUIET_PCT % of one core.
wait_quiet() {
    local start=$SECONDS b0 b1 pct
    while :; do
        b0=$(busy_ticks); sleep 1; b1=$(busy_ticks)
        pct=$(( (b1 - b0) * 100 / CLK_TCK ))
        (( pct < QUIET_PCT )) && return 0
        (( SECONDS - start < QUIET_WAIT )) || { log "other processes busy ${pct}% of a core; measuring anyway"; return 0; }
    done
}

fmt_div() { awk -v a="$1" -v b="$2" -v m="$3" -v f="$4" 'BEGIN { printf f, b ? a * m / b : 0 }'; }

declare -A R=()          # R[run,key]; run = SERVER@RATE#ROUND
# KEYED=1: the keys file and the query files with the key label, for the keyed server
declare -A KEYLABEL=() QFILE=()   # by server name: "KEY." to put before the zone, and its query file
BENCH_KEY=bench-key-0001
if (( KEYED )); then
    awk -v n="$KEYS" -v k="$BENCH_KEY" 'BEGIN { print k; for (i = 2; i <= n; i++) printf "customer-%06d %d\n", i, 1000000 }' >"$DATA/keys.txt"
    for f in queries.txt queries.txt.warmup; do
        awk -v z=".$ZONE" -v k=".$BENCH_KEY" '{ i = index($1, z); print substr($1, 1, i - 1) k substr($1, i) " " $2 }' "$DATA/$f" >"$DATA/keyed-$f"
    done
    chmod 644 "$DATA"/*
fi
qfile() { echo "${QFILE[$1]:-$DATA/queries.txt}"; }

declare -a RUNS=()       # in order
declare -a SETS=()       # SERVER@RATE, in order of first appearance

warm_up() {
    log "$1: warm-up, $WARMUP s at $WARMUP_RATE qps"
    dnsperf_run "$1" "$WORKDIR/warmup-${1//[^A-Za-z0-9_.-]/_}.txt" -d "$(qfile "$1").warmup" -l "$WARMUP" -Q "$WARMUP_RATE"
}

# measure SERVER RATE(max = unthrottled) ROUND
measure() {
    local server=$1 rate=$2 round=$3
    local group="$server@$rate" run="$server@$rate#$round" pid=${PID[$1]}
    local out=$WORKDIR/dnsperf-${run//[^A-Za-z0-9_.-]/_}.txt duration=$DURATION
    local -a args=(-d "$(qfile "$server")")
    if [[ $rate == max ]]; then duration=$MAX_DURATION; else args+=(-Q "$rate"); fi
    args+=(-l "$duration")
    wait_quiet
    local u0 k0 b0 c0 u1 k1 b1 c1
    thread_ticks "$pid" >"$out.threads0"
    read -r u0 k0 <<<"$(proc_ticks "$pid")"; b0=$(busy_ticks)
    children_ticks c0
    dnsperf_run "$server" "$out" "${args[@]}"
    children_ticks c1   # the only child reaped in between is dnsperf
    read -r u1 k1 <<<"$(proc_ticks "$pid")"; b1=$(busy_ticks)
    thread_ticks "$pid" >"$out.threads1"
    kill -0 "$pid" 2>/dev/null || die "$server died during $run"
    grep -q 'Queries completed' "$out" || { cat "$out" >&2; die "dnsperf failed for $run"; }

    local sent ndone lost runtime qps avg max size codes
    read -r sent ndone lost runtime qps avg max size codes <<<"$(awk '
        /Queries sent:/          { sent = $3 }
        /Queries completed:/     { done = $3 }
        /Queries lost:/          { lost = $3 }
        /Response codes:/        { sub(/.*Response codes: */, ""); gsub(/ \([0-9.]+%\)/, ""); gsub(/, /, ","); gsub(/ /, "="); codes = $0 }
        /Average packet size:/   { size = $7 }
        /Run time \(s\):/        { runtime = $4 }
        /Queries per second:/    { qps = $4 }
        /Average Latency \(s\):/ { avg = $4; max = $NF; sub(/\)/, "", max) }
        END { printf "%s %s %s %s %s %s %s %s %s", sent, done, lost, runtime, qps, avg, max, size, (codes == "" ? "-" : codes) }' "$out")"
    local ud=$((u1 - u0)) kd=$((k1 - k0)) cd=$((c1 - c0))
    local sd=$((ud + kd))
    R[$run,sent]=$sent; R[$run,done]=$ndone; R[$run,lost]=$lost
    R[$run,qps]=$(printf '%.0f' "$qps")
    R[$run,codes]="$codes, average response ${size:-?} bytes"
    R[$run,avg]=$(fmt_div "$avg" 1 1e6 '%.0f')
    R[$run,max]=$(fmt_div "$max" 1 1e6 '%.0f')
    R[$run,cpu]=$(fmt_div "$sd" "$(fmt_div "$runtime" 1 "$CLK_TCK" '%.6f')" 100 '%.1f')
    R[$run,client]=$(fmt_div "$cd" "$(fmt_div "$runtime" 1 "$CLK_TCK" '%.6f')" 100 '%.1f')
    R[$run,other]=$(awk -v t="$((b1 - b0 - sd - cd))" -v h="$CLK_TCK" -v r="$runtime" 'BEGIN { v = 100 * t / h / r; printf "%.1f", v < 0 ? 0 : v }')
    R[$run,us]=$(fmt_div "$sd" "$((ndone * CLK_TCK))" 1e6 '%.2f')
    R[$run,usr]=$(fmt_div "$ud" "$((ndone * CLK_TCK))" 1e6 '%.2f')
    R[$run,sys]=$(fmt_div "$kd" "$((ndone * CLK_TCK))" 1e6 '%.2f')
    RUNS+=("$run")
    [[ " ${SETS[*]} " == *" $group "* ]] || SETS+=("$group")
    log "$run: ${R[$run,qps]} qps, $lost lost, avg ${R[$run,avg]} us, server CPU ${R[$run,cpu]}% = ${R[$run,us]} us/query, dnsperf ${R[$run,client]}%, other ${R[$run,other]}%"
}

# perf profile of a running server at the first rate (outside the measured runs).
profile() {
    local server=$1 tag=$2 rate=${RATES%% *}
    local out=$WORKDIR/perf-$tag
    log "$server: perf record for 10 s at $rate qps (not part of the tables)"
    perf record -q -F 2999 -g -p "${PID[$server]}" -o "$out.data" -- sleep 10 >/dev/null 2>&1 &
    local perf_pid=$!
    dnsperf_run "$server" "$out.dnsperf.txt" -d "$(qfile "$server")" -l 10 -Q "$rate"
    wait "$perf_pid" || true
    perf report -i "$out.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -6 >"$out.dso.txt" || true
    perf report -i "$out.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -"$PERF_TOP" >"$out.top.txt" || true
}

# Per-thread CPU of RUN (DnsblServer names its threads; .NET's own are named too).
thread_report() {
    local out=$WORKDIR/dnsperf-${1//[^A-Za-z0-9_.-]/_}.txt
    awk -v h="$CLK_TCK" -v d="${R[$1,done]}" '
        NR == FNR { t0[$1] = $2; next }
        { dt = $2 - t0[$1]; if (dt > 0) printf "    %-20s %6.2f s  %6.2f us/query\n", $3, dt / h, dt * 1e6 / h / d }
    ' "$out.threads0" "$out.threads1" | sort -k2 -rn
}

# ---------------------------------------------------------------- plan
ZONE_SPEC="$ZONE:$DATASET:$ZONE_FILE"
read -r -a DNSBL_EXTRA <<<"$DNSBL_ARGS"
read -r -a DNSPERF_EXTRA <<<"$DNSPERF_ARGS"
DOTNET_ENV=(DOTNET_TieredPGO=1 DOTNET_gcServer=0)
# PERF=1: JIT symbol map, and no W^X double mapping (perf cannot map code in memfd:doublemapper)
(( PERF )) && DOTNET_ENV+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
REF=rbldnsd
OURS="DnsblServer/1loop"
# with_metrics NAME: the metrics listener (a free port) and -s file for one DnsblServer, into METRICS_ARGS
METRICS_ARGS=()
with_metrics() {
    local name=$1 mport=$PORT
    while port_in_use "$mport"; do mport=$((mport + 1)); done
    PORT=$((mport + 1))
    METRICS_ARGS=("--Dnsbl:Metrics:Listen=127.0.0.1:$mport" -s "$WORKDIR/stats-${name//[^A-Za-z0-9_.-]/_}.txt")
    METRICS_PORT=$mport
}
# scrape NAME PORT: GET /metrics every METRICS_SCRAPE s while the server lives, as a Prometheus would
scrape() {
    local pid=${PID[$1]} port=$2
    ( while kill -0 "$pid" 2>/dev/null; do curl -s -o /dev/null "http://127.0.0.1:$port/metrics" || true; sleep "$METRICS_SCRAPE"; done ) &
    SCRAPER_PIDS+=($!)
}
if [[ $METRICS == both ]]; then
    REF="DnsblServer/1loop"
    OURS="DnsblServer/1loop+metrics"
elif (( KEYED )); then
    REF="DnsblServer/1loop"
    OURS="DnsblServer/1loop+keys"
    KEYLABEL[$OURS]="$BENCH_KEY."
    QFILE[$OURS]="$DATA/keyed-queries.txt"
    SCALING=0
elif [[ $METRICS == on ]]; then
    OURS="DnsblServer/1loop+metrics"
fi
if (( ${#AB[@]} )); then
    REF="DnsblServer/1loop"
    OURS="$OURS+ab"
    SCALING=0
    log "A/B: $OURS runs with ${AB[*]}"
fi
[[ $SCALING == auto ]] && SCALING=$(( NCPU >= 3 ))
SCALE_CPUS=
if (( SCALING && NCPU >= 3 )); then
    # every CPU except dnsperf's; .NET sees the affinity, so its default loop count is that many
    SCALE_CPUS=$(awk -v n="$NCPU" -v c="$CLIENT_CPU" 'BEGIN {
        split(c, r, ","); for (i in r) { k = split(r[i], ab, "-"); for (x = ab[1]; x <= ab[k]; x++) skip[x] = 1 }
        for (x = 0; x < n; x++) if (!(x in skip)) out = out (out == "" ? "" : ",") x; print out }')
    OURS_N="DnsblServer/$(awk -F, '{ print NF }' <<<"$SCALE_CPUS")loops"
else
    OURS_N="DnsblServer/${NCPU}loops-unpinned"
fi
# shellcheck disable=SC2206
POINTS=($RATES)
(( MAX )) && POINTS+=(max)
per_round=$(( $(wc -w <<<"$RATES") * (DURATION + 2) + MAX * (MAX_DURATION + 2) ))
estimate=$(( 2 * ROUNDS * per_round + 2 * (WARMUP + 4) + SCALING * (per_round + WARMUP + 4) + PERF * 2 * 12 ))
log "plan: $ROUNDS round(s) x {${POINTS[*]}} x {$REF, $OURS}$( (( SCALING )) && echo ", then one round of $OURS_N"); about $((estimate / 60)) min $((estimate % 60)) s"

# ---------------------------------------------------------------- both pinned servers, interleaved rounds
# Both stay up (idle when not queried) so rounds can alternate between them: slow drifts in the
# machine's other load then hit both alike instead of whichever happened to run second.
if [[ $METRICS == both ]] || (( KEYED )) || (( ${#AB[@]} )); then
    start_server "$REF" "$SERVER_CPU" "$WORKDIR/dnsblserver-1loop.log" "${DOTNET_ENV[@]}" -- \
        "$DNSBL_BIN" -n -b "127.0.0.1/@PORT@" -w "$DATA" --Dnsbl:UdpLoops=1 "${DNSBL_EXTRA[@]}" "$ZONE_SPEC"
else
    start_server "$REF" "$SERVER_CPU" "$WORKDIR/rbldnsd.log" -- "$RBLDNSD" -n -b "127.0.0.1/@PORT@" -w "$DATA" "$ZONE_SPEC"
fi
[[ $METRICS == off ]] || with_metrics "$OURS"
start_server "$OURS" "$SERVER_CPU" "$WORKDIR/dnsblserver-1loop${METRICS_ARGS[*]:+-metrics}${KEYLABEL[$OURS]:+-keys}${AB[*]:+-ab}.log" "${DOTNET_ENV[@]}" -- \
    "$DNSBL_BIN" -n -b "127.0.0.1/@PORT@" -w "$DATA" --Dnsbl:UdpLoops=1 "${DNSBL_EXTRA[@]}" "${METRICS_ARGS[@]}" "${AB[@]}" "$ZONE_SPEC" ${KEYLABEL[$OURS]:+"$ZONE:keys:keys.txt"}
if [[ $METRICS != off ]]; then
    [[ $(curl -s "http://127.0.0.1:$METRICS_PORT/readyz") == ready ]] || die "$OURS: /readyz is not ready"
    scrape "$OURS" "$METRICS_PORT"
    log "$OURS: metrics on 127.0.0.1:$METRICS_PORT, scraped every $METRICS_SCRAPE s; statistics file ${METRICS_ARGS[-1]}"
fi
warm_up "$REF"
warm_up "$OURS"
sleep 1 # let tier-1 compilations queued by the warm-up finish
for round in $(seq "$ROUNDS"); do
    for i in "${!POINTS[@]}"; do
        # each rate alternates, round by round, which server goes first
        if (( (round + i) % 2 )); then order=("$REF" "$OURS"); else order=("$OURS" "$REF"); fi
        for server in "${order[@]}"; do measure "$server" "${POINTS[$i]}" "$round"; done
    done
done
if (( PERF )); then
    if command -v perf >/dev/null; then profile "$REF" rbldnsd; profile "$OURS" dnsblserver; else log "perf not found: PERF=1 ignored"; fi
fi
stop_server "$REF"
stop_server "$OURS"

# ---------------------------------------------------------------- DnsblServer with its default loop count
if (( SCALING )); then
    start_server "$OURS_N" "$SCALE_CPUS" "$WORKDIR/dnsblserver-default.log" "${DOTNET_ENV[@]}" -- \
        "$DNSBL_BIN" -n -b "127.0.0.1/@PORT@" -w "$DATA" "${DNSBL_EXTRA[@]}" "$ZONE_SPEC"
    warm_up "$OURS_N"
    sleep 1
    for point in "${POINTS[@]}"; do measure "$OURS_N" "$point" 1; done
    stop_server "$OURS_N"
fi

# ---------------------------------------------------------------- report
# agg SET KEY -> "median min max" over the set's rounds
agg() {
    local r
    for r in "${RUNS[@]}"; do [[ ${r%#*} == "$1" ]] && echo "${R[$r,$2]}"; done | sort -g | awk '
        { v[NR] = $1 } END { if (!NR) { print "- - -"; exit } m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}
sum() { local r t=0; for r in "${RUNS[@]}"; do [[ ${r%#*} == "$1" ]] && t=$((t + ${R[$r,$2]})); done; echo "$t"; }
med() { local m _; read -r m _ <<<"$(agg "$1" "$2")"; echo "$m"; }

echo
echo "== UDP load: $ADDRESSES-entry $DATASET zone, $(wc -l <"$DATA/queries.txt") queries (1/2 listed, 1/2 not; 1/2 A, 1/2 TXT)"
echo "   dnsperf -c $CLIENTS -T $THREADS -q $OUTSTANDING -t $TIMEOUT on cpu $CLIENT_CPU; $REF and $OURS on cpu $SERVER_CPU${SCALE_CPUS:+, $OURS_N on cpus $SCALE_CPUS}; nice $NICE"
echo "   DnsblServer: $BIN_DESC${AB_ARGS:+; A/B: $OURS has $AB_ARGS}"
echo "   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $NCPU CPUs, $(uname -r); rbldnsd $(dpkg-query -W -f '${Version}' rbldnsd 2>/dev/null || echo '?'); $ROUNDS round(s) of ${DURATION} s per rate (unthrottled ${MAX_DURATION} s)"
echo
echo "-- every run"
fmt='%-40s %9s %9s %5s %7s %6s %7s %5s %8s %5s %5s %8s %6s\n'
printf "$fmt" run sent completed lost qps "avg_us" "max_us" "cpu%" "us/query" "usr" "sys" "dnsperf%" "other%"
for r in "${RUNS[@]}"; do
    printf "$fmt" "$r" "${R[$r,sent]}" "${R[$r,done]}" "${R[$r,lost]}" "${R[$r,qps]}" "${R[$r,avg]}" "${R[$r,max]}" \
        "${R[$r,cpu]}" "${R[$r,us]}" "${R[$r,usr]}" "${R[$r,sys]}" "${R[$r,client]}" "${R[$r,other]}"
done
echo
echo "-- per server and rate: medians over the rounds (us/query also min-max); lost and max latency over all rounds"
fmt='%-34s %10s %10s %7s %7s %7s %7s %7s %5s %-16s %5s %5s %8s %6s\n'
printf "$fmt" "server@rate" sent completed lost "lost%" qps "avg_us" "max_us" "cpu%" "us/query" usr sys "dnsperf%" "other%"
ORDERED=()
for point in "${POINTS[@]}"; do
    for server in "$REF" "$OURS" "$OURS_N"; do
        [[ " ${SETS[*]} " == *" $server@$point "* ]] && ORDERED+=("$server@$point")
    done
done
for g in "${ORDERED[@]}"; do
    read -r us_m us_lo us_hi <<<"$(agg "$g" us)"
    read -r _ _ maxlat <<<"$(agg "$g" max)"
    sent=$(sum "$g" sent); ndone=$(sum "$g" done); lost=$(sum "$g" lost)
    printf "$fmt" "$g" "$sent" "$ndone" "$lost" "$(fmt_div "$lost" "$sent" 100 '%.3f')" "$(printf '%.0f' "$(med "$g" qps)")" \
        "$(printf '%.0f' "$(med "$g" avg)")" "$maxlat" "$(med "$g" cpu)" "$(printf '%.2f (%.2f-%.2f)' "$us_m" "$us_lo" "$us_hi")" \
        "$(printf '%.2f' "$(med "$g" usr)")" "$(printf '%.2f' "$(med "$g" sys)")" "$(med "$g" client)" "$(med "$g" other)"
done
echo "  cpu% = server utime+stime over the run / run time (100 = one core); us/query = that CPU / completed queries,"
echo "  split usr/sys by the kernel's tick sampling; dnsperf% = the client's own CPU (near 100: the client sets the pace);"
echo "  other% = the rest of the machine (approximate)"
for g in "${ORDERED[@]}"; do
    rate=${g##*@}
    [[ $rate == max ]] && continue
    q=$(med "$g" qps)
    awk -v q="$q" -v r="$rate" 'BEGIN { exit !(q < 0.97 * r) }' \
        && echo "  WARNING: $g reached $q qps, short of $rate (client-bound?): compare CPU per query where both sustain the rate"
    o=$(med "$g" other)
    awk -v o="$o" 'BEGIN { exit !(o > 20) }' && echo "  WARNING: $g ran beside ${o}% other CPU load: noisy; rerun on a quiet machine or with NICE=-20"
done
echo
echo "-- response codes (the same query mix must give the same split), first round"
for r in "${RUNS[@]}"; do [[ $r == *"#1" ]] && printf '  %-40s %s\n' "$r" "${R[$r,codes]}"; done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 == 0) print "n/a"; else printf "%.2fx", b / a }'; }
echo "-- $OURS / $REF (both pinned to cpu $SERVER_CPU), medians"
for point in "${POINTS[@]}"; do
    a="$REF@$point" b="$OURS@$point"
    printf '  %-7s CPU/query %s (%.2f vs %.2f us; usr %.2f vs %.2f, sys %.2f vs %.2f)  qps %s (%.0f vs %.0f)  avg latency %s (%.0f vs %.0f us)  lost %s vs %s\n' \
        "@$point" "$(ratio "$(med "$a" us)" "$(med "$b" us)")" "$(med "$b" us)" "$(med "$a" us)" "$(med "$b" usr)" "$(med "$a" usr)" \
        "$(med "$b" sys)" "$(med "$a" sys)" "$(ratio "$(med "$a" qps)" "$(med "$b" qps)")" "$(med "$b" qps)" "$(med "$a" qps)" \
        "$(ratio "$(med "$a" avg)" "$(med "$b" avg)")" "$(med "$b" avg)" "$(med "$a" avg)" "$(sum "$b" lost)" "$(sum "$a" lost)"
done
if (( SCALING )); then
    echo "-- $OURS_N vs $OURS"
    for point in "${POINTS[@]}"; do
        a="$OURS@$point" b="$OURS_N@$point"
        printf '  %-7s qps %s (%.0f vs %.0f)  CPU/query %s (%.2f vs %.2f us)  dnsperf %s%% vs %s%%\n' "@$point" \
            "$(ratio "$(med "$a" qps)" "$(med "$b" qps)")" "$(med "$b" qps)" "$(med "$a" qps)" \
            "$(ratio "$(med "$a" us)" "$(med "$b" us)")" "$(med "$b" us)" "$(med "$a" us)" "$(med "$b" client)" "$(med "$a" client)"
    done
fi
echo
first="$OURS@${POINTS[0]}#1"
echo "-- $OURS threads during $first (CPU over the run, per answered query)"
thread_report "$first"
if (( PERF )); then
    for tag in rbldnsd dnsblserver; do
        [[ -s $WORKDIR/perf-$tag.top.txt ]] || continue
        echo
        echo "-- perf, $tag @${POINTS[0]} qps: samples by binary"
        sed 's/^/  /' "$WORKDIR/perf-$tag.dso.txt"
        echo "   top self-time symbols ($WORKDIR/perf-$tag.data)"
        sed 's/^/  /' "$WORKDIR/perf-$tag.top.txt"
    done
fi
echo
echo "raw dnsperf outputs and server logs: $WORKDIR"
