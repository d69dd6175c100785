#!/usr/bin/env bash
# Runs examples/example against a finops-crawler-sim started here, with the
# environment the simulator prints (its fake, simulator-only key pair):
#   tools/static/run_example.sh SIM_EXE EXAMPLE_EXE
# Then once more with the endpoint named by this machine's host name when
# that resolves to 127.0.0.1 through /etc/hosts: a static glibc binary then
# resolves through getaddrinfo and NSS (the dlopen'ed libnss_files), which is
# the case glibc's link-time warning is about. 127.0.0.1 and "localhost" need
# no resolver (libcurl handles both itself).
set -euo pipefail
sim=$1 example=$2
out=$(mktemp) log=$(mktemp)
"$sim" --seed 3 --days 10 >"$out" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out" "$log"; }
trap cleanup EXIT
for _ in $(seq 100); do
  grep -q '^export AWS_SECRET_ACCESS_KEY=' "$out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$out"; echo "FAIL: simulator exited" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^export AWS_ENDPOINT_URL=//p' "$out")
[ -n "$url" ] || { echo "FAIL: simulator printed no endpoint" >&2; exit 1; }
# The exports, without echoing them (the pair is fake, but keys stay out of logs).
eval "$(grep '^export AWS_' "$out")"

run() {
  AWS_ENDPOINT_URL=$1 "$example" >"$log" 2>&1 || { cat "$log"; echo "FAIL: example with $1" >&2; exit 1; }
  grep -q ' from Cost Explorer ' "$log" || { cat "$log"; echo "FAIL: example printed no page count" >&2; exit 1; }
  echo "example via $1: $(tail -1 "$log")"
}
run "$url"
host=$(hostname 2>/dev/null || true)
if [ -n "$host" ] && [ "$host" != localhost ] && getent ahostsv4 "$host" 2>/dev/null | grep -q '^127\.0\.0\.1 '; then
  run "${url/127.0.0.1/$host}"
else
  echo "example via a host name: skipped ('${host:-?}' does not resolve to 127.0.0.1 here)"
fi
