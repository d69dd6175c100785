#!/usr/bin/env bash
# The size budget of issue 12: stripped sizes of examples/example dynamic and
# static, next to a bare libcurl + OpenSSL program that does one HTTPS POST
# (bench/bare_https_post.cpp), also dynamic and static, and the static
# finops-crawler.
#
#   bench/binary_sizes.sh           a table
#   bench/binary_sizes.sh --json    one JSON object (units in the names)
#   bench/binary_sizes.sh --cli     also the dynamic finops-crawler (one more
#                                   CLI build, the longest compile here)
#
# The static binaries come from tools/static-build.sh --no-run (cached private
# libcurl with HTTP(S), OpenSSL and zlib only; -static -Wl,--gc-sections); the
# dynamic ones from a Meson build dir of their own ($SIZES_BUILD_DIR, default
# build-sizes) with the same buildtype and Debian's shared libraries. Both
# bare programs are built with the same flags (-O3 -DNDEBUG), the static one
# against the same minimal libcurl as the static example. For a dynamic binary
# the table also shows the shared libraries it loads (ldd) and their size on
# disk: what a dynamic binary needs on the machine that runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
json=false cli=false
for a in "$@"; do
  case $a in
    --json) json=true ;;
    --cli) cli=true ;;
    *) echo "usage: $0 [--json] [--cli]" >&2; exit 2 ;;
  esac
done
deps=${STATIC_DEPS_DIR:-build-static-deps}
case $deps in /*) ;; *) deps=$root/$deps ;; esac
sbdir=${BUILD_DIR:-build-static}
dbdir=${SIZES_BUILD_DIR:-build-sizes}
buildtype=${BUILDTYPE:-release}
jobs=${JOBS:-2}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Progress goes to stderr (and the build logs to a file), so --json prints only the object.
say() { echo "--- binary_sizes: $*" >&2; }
say "static binaries: tools/static-build.sh --no-run"
STATIC_DEPS_DIR=$deps BUILD_DIR=$sbdir BUILDTYPE=$buildtype JOBS=$jobs \
  ./tools/static-build.sh --no-run >"$log" 2>&1 || { cat "$log" >&2; exit 1; }

say "dynamic binaries: $dbdir (buildtype=$buildtype, Debian's shared libraries)"
dyn_args=(--buildtype="$buildtype" -Dtests=false -Dbench=false)
if [ -f "$dbdir/build.ninja" ]; then
  meson setup --reconfigure "$dbdir" "${dyn_args[@]}" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
else
  meson setup "$dbdir" "${dyn_args[@]}" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
dyn_targets=(examples/example)
$cli && dyn_targets+=(tools/cli/finops-crawler)
nice -n 10 ninja -C "$dbdir" -j"$jobs" "${dyn_targets[@]}" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
mkdir -p "$deps/bare"
# shellcheck disable=SC2046
g++ -O3 -DNDEBUG -std=c++17 -Wall -Wextra -Werror "$root/bench/bare_https_post.cpp" \
  -o "$deps/bare/bare_https_post-dynamic" $(pkg-config --cflags --libs libcurl)

out=$deps/sizes
mkdir -p "$out"
# stripped NAME EXE: prints the stripped size in bytes.
stripped() {
  strip -o "$out/$1" "$2"
  stat -c %s "$out/$1"
}
# shared_libs EXE: "COUNT BYTES" of the shared libraries ldd resolves for EXE.
shared_libs() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | xargs -r readlink -f | sort -u |
    xargs -r stat -c %s | awk '{n++; b += $1} END {printf "%d %d\n", n, b}'
}

rows=()  # name|linkage|stripped bytes|shared library count|shared library bytes
add_dynamic() {
  local n b
  read -r n b < <(shared_libs "$3")
  rows+=("$1|dynamic|$(stripped "$2-dynamic" "$3")|$n|$b")
}
add_static() { rows+=("$1|static|$(stripped "$2-static" "$3")|0|0"); }

add_dynamic examples/example example "$dbdir/examples/example"
add_static examples/example example "$sbdir/examples/example"
add_dynamic bare_https_post bare_https_post "$deps/bare/bare_https_post-dynamic"
add_static bare_https_post bare_https_post "$deps/bare/bare_https_post-static"
$cli && add_dynamic finops-crawler finops_crawler "$dbdir/tools/cli/finops-crawler"
add_static finops-crawler finops_crawler "$sbdir/tools/cli/finops-crawler"

curl_version=$(cat "$deps/prefix/.versions")
if $json; then
  {
    printf '{"buildtype":"%s","static_deps":"%s","static_link_args":"-static -Wl,--gc-sections"' \
      "$buildtype" "$curl_version"
    for r in "${rows[@]}"; do
      IFS='|' read -r name linkage bytes n b <<<"$r"
      key=$(basename "$name" | tr '-' '_')_$linkage
      printf ',"%s_stripped_bytes":%d' "$key" "$bytes"
      [ "$linkage" = dynamic ] && printf ',"%s_shared_libraries":%d,"%s_shared_libraries_bytes":%d' \
        "$key" "$n" "$key" "$b"
    done
    printf '}\n'
  }
else
  echo "Stripped sizes (buildtype=$buildtype; static: -static -Wl,--gc-sections; $curl_version)"
  printf '%-18s %-8s %15s %9s   %s\n' binary linkage "stripped bytes" MiB "shared libraries it loads (ldd)"
  for r in "${rows[@]}"; do
    IFS='|' read -r name linkage bytes n b <<<"$r"
    extra=-
    [ "$linkage" = dynamic ] && extra=$(awk -v n="$n" -v b="$b" 'BEGIN {printf "%d, %d bytes (%.2f MiB)", n, b, b / 1048576}')
    awk -v name="$name" -v l="$linkage" -v s="$bytes" -v e="$extra" \
      'BEGIN {printf "%-18s %-8s %15d %9.2f   %s\n", name, l, s, s / 1048576, e}'
  done
fi
