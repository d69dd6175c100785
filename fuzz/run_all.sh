#!/usr/bin/env bash
# Runs every libFuzzer target of a clang -Dfuzz=true build for SECONDS each,
# two at a time (the CI machine has 2 cores), on a copy of its committed seed
# corpus (fuzz/corpus/<target>/ is never written), with fuzz/<target>.dict
# when there is one. Prints per target: executions, coverage (libFuzzer's
# final cov:), new corpus units, findings. Exits non-zero on any finding
# (crash, sanitizer report, invariant trap, leak, timeout, out-of-memory) or
# when a target is missing; the inputs that failed are kept under
# BUILD_DIR/fuzz-findings/<target>/ and named in the output.
#
#   fuzz/run_all.sh BUILD_DIR SECONDS [TARGET...]
#
# Set up the build with e.g.
#   CXX=clang++ CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false -Dbench=false --buildtype=debugoptimized
#   ninja -C build-fuzz fuzzers
# Environment: FUZZ_JOBS (default 2) targets at a time; FUZZ_KEEP_WORK=1
# keeps the work directory (grown corpora, logs) and prints its path.
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
  exit 2
fi
build_dir=$(cd "$1" 2>/dev/null && pwd) || { echo "run_all.sh: no build directory '$1'" >&2; exit 2; }
seconds=$2
shift 2
case "$seconds" in '' | *[!0-9]*) echo "run_all.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
jobs=${FUZZ_JOBS:-2}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for src in "$fuzz_dir"/*_fuzzer.cpp; do
    t=$(basename "$src" .cpp)
    targets+=("$t")
  done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-run.XXXXXX") || exit 2
cleanup() {
  if [ "${FUZZ_KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One target: writes $work/<t>/result as "executions coverage new_units findings rc".
run_one() {
  local t=$1 exe="$build_dir/fuzz/$1" dir="$work/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp"
  if [ ! -x "$exe" ]; then
    echo "- - - missing 127" > "$dir/result"
    return
  fi
  if [ -d "$fuzz_dir/corpus/$t" ]; then cp -R "$fuzz_dir/corpus/$t/." "$dir/corpus/"; fi
  local seeds
  seeds=$(find "$dir/corpus" -type f | wc -l)
  local args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=2048
              -artifact_prefix="$dir/artifacts/")
  if [ -f "$fuzz_dir/$t.dict" ]; then args+=(-dict="$fuzz_dir/$t.dict"); fi
  # The hard limit only guards against a hang outside libFuzzer's own timers.
  TMPDIR="$dir/tmp" timeout -k 10 $((seconds * 2 + 120)) \
    "$exe" "${args[@]}" "$dir/corpus" > "$dir/log" 2>&1
  local rc=$?
  local execs cov units findings
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -n 1 | sed 's/cov: //')
  units=$(( $(find "$dir/corpus" -type f | wc -l) - seeds ))
  findings=$(find "$dir/artifacts" -type f | wc -l)
  if [ "$rc" -ne 0 ] && [ "$findings" -eq 0 ]; then findings=1; fi  # e.g. killed by the guard
  echo "${execs:--} ${cov:--} $units $findings $rc" > "$dir/result"
}

# Two at a time.
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait

status=0
printf '%-26s %12s %8s %8s %9s\n' target executions cov new_units findings
for t in "${targets[@]}"; do
  read -r execs cov units findings rc < "$work/$t/result"
  printf '%-26s %12s %8s %8s %9s\n' "$t" "$execs" "$cov" "$units" "$findings"
  if [ "$findings" = missing ]; then
    echo "  $t: not built ($build_dir/fuzz/$t); build with -Dfuzz=true and 'ninja -C $build_dir fuzzers'" >&2
    status=1
  elif [ "$findings" != 0 ]; then
    status=1
    keep="$build_dir/fuzz-findings/$t"
    mkdir -p "$keep"
    cp "$work/$t/log" "$keep/log"
    cp "$work/$t/artifacts/"* "$keep/" 2>/dev/null
    echo "  $t: exit status $rc; log and inputs in $keep:" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix)' "$work/$t/log" | head -n 5 | sed 's/^/    /' >&2
  fi
done
if [ "$status" -ne 0 ]; then echo "fuzz: FAILED" >&2; else echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no findings"; fi
exit "$status"
