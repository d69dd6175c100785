#!/usr/bin/env bash
# The three ways to consume the library, each built and run from scratch:
#   1. installed: `meson install` into a staging directory, found through pkg-config;
#   2. vendored: a Meson project whose subprojects/finops-crawler is this tree;
#   3. header-only with a plain compiler command line, as the README shows.
# Usage: tests/consumer/routes.sh BUILD_DIR   (an already built build directory)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: $0 BUILD_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/finops-routes.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "--- 1. installed, through pkg-config"
meson install -C "$build" --destdir "$work/stage" >/dev/null
opt() { meson introspect "$build" --buildoptions |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]==sys.argv[1]][0])' "$1"; }
PKG_CONFIG_PATH="$work/stage$(opt prefix)/$(opt libdir)/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$work/stage" \
  meson setup "$work/installed" tests/consumer -Dwerror=true >/dev/null
meson compile -C "$work/installed" >/dev/null
"$work/installed/consumer"

echo "--- 2. vendored as a Meson subproject"
mkdir -p "$work/vendored/subprojects"
cp tests/consumer/meson.build tests/consumer/consumer.cpp "$work/vendored/"
ln -s "$PWD" "$work/vendored/subprojects/finops-crawler"
# No pkg-config file on the path, so the fallback (the subproject) is used.
PKG_CONFIG_PATH= meson setup "$work/vendored-build" "$work/vendored" -Dwerror=true >/dev/null
meson compile -C "$work/vendored-build" >/dev/null
"$work/vendored-build/consumer"

echo "--- 3. header-only, one compiler command line"
# The README's command line, verbatim but for the output path.
g++ -std=c++17 -Iinclude examples/example.cpp -o "$work/example" -lcurl -lcrypto -lsimdjson
test -x "$work/example"
echo "header-only build of examples/example OK"
