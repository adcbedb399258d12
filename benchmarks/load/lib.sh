# Shared helpers for the load scripts in this folder (sourced by run.sh and reload.sh).
# Expects: set -euo pipefail, and the caller's cleanup trap to stop what it started.

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# port_in_use PORT: true when anything holds PORT over UDP or TCP, v4 or v6 (a leftover DnsblServer
# with SO_REUSEPORT would silently take half the queries of a new one).
port_in_use() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v p="$hex" 'substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
        /proc/net/udp /proc/net/udp6 /proc/net/tcp /proc/net/tcp6
}

# free_port START: the first port from START that nothing holds.
free_port() {
    local port=$1
    while port_in_use "$port"; do port=$((port + 1)); done
    echo "$port"
}

# wait_answer PID PORT NAME EXPECT LOGFILE [SECONDS]: until dig gets EXPECT for NAME (A) from 127.0.0.1#PORT;
# dies when PID exits first (printing LOGFILE) or after SECONDS (90).
wait_answer() {
    local pid=$1 port=$2 name=$3 expect=$4 logfile=$5 limit=${6:-90} started=$SECONDS
    until [[ $(dig +short +tries=1 +time=1 -p "$port" @127.0.0.1 "$name" A 2>/dev/null) == "$expect" ]]; do
        kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; die "pid $pid exited during start-up"; }
        (( SECONDS - started < limit )) || die "pid $pid did not answer within $limit s"
        sleep 0.2
    done
}

# proc_ticks PID -> "utime stime" of the whole process (all threads), in clock ticks
proc_ticks() {
    local s
    read -r s <"/proc/$1/stat"
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    echo "${12} ${13}"
}

# status_kb PID KEY -> the value of KEY (VmRSS, VmHWM, ...) in /proc/PID/status, in kB; no subshell-free
# variant needed: called a few times per run.
status_kb() {
    local key value unit
    while read -r key value unit; do
        [[ $key == "$2:" ]] && { echo "$value"; return 0; }
    done <"/proc/$1/status"
    echo 0
}

# busy_ticks: all CPUs, everything but idle and iowait
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
