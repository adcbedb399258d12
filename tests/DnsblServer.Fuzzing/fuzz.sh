#!/usr/bin/env bash
# Coverage-guided fuzzing with afl++ and SharpFuzz (README.md in this folder).
#   fuzz.sh --ci                    every target for 10 s; exit 1 on any crash (prints the input's path)
#   fuzz.sh --seconds N [TARGET...] each target (default: all) for N seconds
# Installs afl++ (apt) and the SharpFuzz instrumenter (a dotnet tool, in $FUZZ_WORK/tools) when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${FUZZ_WORK:-/tmp/dnsbl-fuzz}
seconds=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ci) seconds=10; shift ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ -n "$seconds" ] || { sed -n '2,5p' "$0" >&2; exit 2; }

export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! command -v afl-fuzz >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
mkdir -p "$work/findings"
# the harness's scratch files (in memory where possible); removed at exit, also for children afl killed
scratch_root=/dev/shm; [ -d "$scratch_root" ] || scratch_root=${TMPDIR:-/tmp}
export DNSBL_FUZZ_SCRATCH="$scratch_root/dnsbl-fuzz.$$"
mkdir -p "$DNSBL_FUZZ_SCRATCH"
trap 'rm -rf "$DNSBL_FUZZ_SCRATCH"' EXIT
if [ ! -x "$work/tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >/dev/null
fi

# build, then instrument our assemblies (not the harness, not SharpFuzz, not the framework)
bin="$work/bin"
rm -rf "$bin"
dotnet publish "$here/DnsblServer.Fuzzing.csproj" -c Release -o "$bin" -v q -nologo # quiet, but a build error shows
for dll in DnsblServer.Addressing DnsblServer.Wire DnsblServer.Zones DnsblServer.Serving DnsblServer; do
  "$work/tools/sharpfuzz" "$bin/$dll.dll" >/dev/null
done
harness=("$(command -v dotnet)" "$bin/DnsblServer.Fuzzing.dll")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("${harness[@]}" --list)

# afl++ settings for a managed target in a container: SharpFuzz's forkserver has no afl marker in the binary
# (skip the check), no core_pattern or CPU governor control here, and other work shares the cores.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
       AFL_NO_AFFINITY=1 AFL_FAST_CAL=1 AFL_BENCH_UNTIL_CRASH=1
failed=0
printf '%-14s %10s %8s %8s %8s %8s\n' target execs exec/s edges map% crashes
for t in "${targets[@]}"; do
  # the seeds first, outside afl: a crashing seed stops afl before it fuzzes anything
  if ! "${harness[@]}" "$t" "$here/corpus/$t" >"$work/$t.seeds.log" 2>&1; then
    echo "CRASH $t: the seeds in $here/corpus/$t do not run cleanly:"; cat "$work/$t.seeds.log"; failed=1; continue
  fi
  out="$work/findings/$t"
  rm -rf "$out"
  # -t: per-input timeout in ms (a slow first run JITs); -V: stop after N seconds
  timeout $((seconds + 120)) afl-fuzz -i "$here/corpus/$t" -o "$out" -t 5000 -m none -V "$seconds" -- "${harness[@]}" "$t" \
    >"$work/$t.afl.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "afl-fuzz did not run for $t:"; tail -n 20 "$work/$t.afl.log"; failed=1; continue
  fi
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(find "$out/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
  printf '%-14s %10s %8s %8s %8s %8s\n' "$t" "$(stat execs_done)" "$(stat execs_per_sec)" "$(stat edges_found)" "$(stat bitmap_cvg)" "$crashes"
  for c in $(find "$out/default/crashes" -name 'id:*' 2>/dev/null); do
    echo "CRASH $t: $c (replay: dotnet $bin/DnsblServer.Fuzzing.dll $t '$c')"
    "${harness[@]}" "$t" "$c" 2>&1 | head -n 20 || true
    failed=1
  done
done
exit $failed
