#!/usr/bin/env bash
# The README's two Quickstart commands:
#   ./tools/dev.sh demo   install what is missing, build, run `finops-crawler demo`
#   ./tools/dev.sh test   install what is missing, build, run every test
# Works on a fresh Debian 12 / Ubuntu 22.04+ machine; uses sudo only when not root.
# BUILD_DIR (default: build) and extra `meson setup` options (MESON_SETUP_ARGS) can be set.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ meson ninja-build pkg-config cmake
  libcurl4-openssl-dev libssl-dev libsimdjson-dev doctest-dev
  libcpp-httplib-dev libcli11-dev zlib1g-dev python3 python3-botocore
  libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-common)

source tools/install_missing.sh  # install_missing PACKAGE...

configure() {
  local dir=${BUILD_DIR:-build}
  # shellcheck disable=SC2086
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" ${MESON_SETUP_ARGS:-} >/dev/null
  else
    meson setup "$dir" ${MESON_SETUP_ARGS:-}
  fi
}

case "${1:-}" in
  demo)
    install_missing "${packages[@]}"
    configure
    meson compile -C "${BUILD_DIR:-build}" tools/cli/finops-crawler:executable
    exec "${BUILD_DIR:-build}/tools/cli/finops-crawler" demo
    ;;
  test)
    install_missing "${packages[@]}"
    configure
    meson compile -C "${BUILD_DIR:-build}"
    meson test -C "${BUILD_DIR:-build}" --print-errorlogs
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
