#!/usr/bin/env bash
# One real HTTPS POST with bench/bare_https_post over TLS to 127.0.0.1:
#   tools/static/https_post_check.sh BARE_HTTPS_POST_EXE
# A throw-away self-signed certificate for IP 127.0.0.1 (openssl req), a
# one-shot Python HTTPS server (https_server.py), and the certificate given
# as the CA file, so libcurl verifies peer and host as it does against AWS.
set -euo pipefail
exe=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$tmp"; }
trap cleanup EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
python3 "$here/https_server.py" "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q '^port ' "$tmp/out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/out"; echo "FAIL: HTTPS server exited" >&2; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/^port //p' "$tmp/out")
[ -n "$port" ] || { echo "FAIL: HTTPS server printed no port" >&2; exit 1; }
reply=$("$exe" "https://127.0.0.1:$port/" '{"TimePeriod":{}}' "$tmp/cert.pem")
echo "$(basename "$exe"): $reply"
[ "$reply" = "HTTP 200, 15 bytes" ]
