#!/usr/bin/env bash
# Fully static finops-crawler and examples/example (issue 12, item 5).
#
#   ./tools/static-build.sh          build, check that they are static (file,
#                                    ldd), run the demo (also alone in an empty
#                                    root), the example against the simulator and
#                                    one HTTPS POST; print stripped sizes
#   ./tools/static-build.sh --no-run build and check only (used by bench/binary_sizes.sh)
#   ./tools/static-build.sh --deps   only the private prefix
#
# Why a private prefix: Debian 12's libcurl.a cannot be linked -static.
# `pkg-config --static --libs libcurl` asks for -lnghttp2 -lidn2 -lrtmp -lssh2
# -lpsl -lssl -lcrypto -lgssapi_krb5 -llber -lldap -lzstd -lbrotlidec -lz;
# libcurl4-openssl-dev does not pull in the -dev packages of nghttp2, rtmp,
# ssh2, psl, ldap and zstd (the linker: "cannot find -lnghttp2" and so on), and
# even with them installed MIT Kerberos (libkrb5-dev) ships libgssapi_krb5 as a
# shared library only, and libldap.a needs libsasl2.a and GnuTLS's chain.
# Debian also ships no libsimdjson.a and no static cpp-httplib. So this script
# takes Debian's own source packages (`apt-get source curl simdjson
# cpp-httplib`, through a private apt configuration with deb-src, so the
# machine's apt sources are not changed) and builds into $STATIC_DEPS_DIR/prefix:
#   - libcurl.a with HTTP and HTTPS only, OpenSSL and zlib, the threaded
#     resolver, no ldap, gssapi, idn2, psl, brotli, zstd, nghttp2, rtmp or ssh;
#   - libsimdjson.a from simdjson's single-file simdjson.cpp;
#   - cpp-httplib's single header (header-only; no brotli).
# OpenSSL (libssl.a, libcrypto.a), zlib (libz.a), libstdc++ and glibc come
# from Debian's -dev packages. The prefix is cached: it is rebuilt only when
# the recipe below changes or the directory is removed.
#
# Then a separate Meson build dir ($BUILD_DIR) with tools/static/static.ini
# (prefer_static, default_library=static, -static) and PKG_CONFIG_PATH at the
# prefix builds the two executables, with no change to the project's
# meson.build files.
#
# Environment: STATIC_DEPS_DIR (default build-static-deps; an absolute path
# outside the clone keeps the prefix across fresh clones), BUILD_DIR (default
# build-static), JOBS (default 2), BUILDTYPE (default release).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
deps=${STATIC_DEPS_DIR:-build-static-deps}
case $deps in /*) ;; *) deps=$root/$deps ;; esac
bdir=${BUILD_DIR:-build-static}
jobs=${JOBS:-2}
buildtype=${BUILDTYPE:-release}
prefix=$deps/prefix
start=$(date +%s)
step() { echo "--- static-build: $* ($(($(date +%s) - start))s)"; }

packages=(g++ make meson ninja-build pkg-config dpkg-dev file binutils
  libssl-dev zlib1g-dev libcli11-dev libc6-dev python3 openssl)

source tools/install_missing.sh  # install_missing PACKAGE...

# libcurl: only what the library uses (HTTP and HTTPS, gzip, proxies, the
# threaded resolver); everything else off (also netrc, cookies, alt-svc and
# HSTS, none of which the library turns on), so nothing needs a library Debian
# does not ship static. The CA paths are Debian's (ca-certificates).
curl_configure=(--disable-shared --enable-static --with-pic
  --with-openssl --with-zlib --enable-threaded-resolver --enable-ipv6
  --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --with-ca-path=/etc/ssl/certs
  --without-brotli --without-zstd --without-libidn2 --without-libpsl
  --without-nghttp2 --without-ngtcp2 --without-nghttp3 --without-quiche --without-msh3
  --without-librtmp --without-libssh2 --without-libssh --without-wolfssh
  --without-gssapi --without-libgsasl --without-hyper --disable-ldap --disable-ldaps
  --disable-ftp --disable-file --disable-rtsp --disable-dict --disable-telnet --disable-tftp
  --disable-pop3 --disable-imap --disable-smb --disable-smtp --disable-gopher --disable-mqtt
  --disable-ntlm --disable-ntlm-wb --disable-kerberos-auth --disable-tls-srp
  --disable-manual --disable-libcurl-option --disable-websockets
  --disable-netrc --disable-cookies --disable-alt-svc --disable-hsts
  --disable-dependency-tracking --disable-silent-rules)
dep_cflags="-O2 -ffunction-sections -fdata-sections"
simdjson_cxxflags=(-O3 -DNDEBUG -std=c++17 -ffunction-sections -fdata-sections -DSIMDJSON_THREADS_ENABLED=1)
# httplib: Debian's flags (OpenSSL, zlib, poll) without brotli.
httplib_cflags="-DCPPHTTPLIB_OPENSSL_SUPPORT -DCPPHTTPLIB_ZLIB_SUPPORT -DCPPHTTPLIB_USE_POLL"
recipe="v2 $prefix ${curl_configure[*]} | $dep_cflags | ${simdjson_cxxflags[*]} | $httplib_cflags"

# A private apt configuration with deb-src lines (Debian 12's sources use
# deb.debian.org with `Types: deb` only), so `apt-get source` works without
# touching /etc/apt.
apt_private() {
  local a=$deps/apt
  mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/etc/sources.list.d"
  : >"$a/etc/sources.list"
  cat >"$a/etc/sources.list.d/debian-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt_opts=(-o "Dir::Etc::SourceList=$a/etc/sources.list" -o "Dir::Etc::SourceParts=$a/etc/sources.list.d"
    -o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" -qq update
}

build_deps() {
  if [ -f "$prefix/.recipe" ] && [ "$(cat "$prefix/.recipe")" = "$recipe" ]; then
    step "private prefix cached: $prefix ($(cat "$prefix/.versions"))"
    return 0
  fi
  rm -rf "$deps/src" "$deps/build" "$prefix"
  mkdir -p "$deps/src" "$deps/build" "$prefix/lib/pkgconfig" "$prefix/include"

  step "apt-get source curl simdjson cpp-httplib (deb-src through $deps/apt)"
  apt_private
  (cd "$deps/src" && apt-get "${apt_opts[@]}" -qq source curl simdjson cpp-httplib >/dev/null)
  local curl_src simdjson_src httplib_src
  curl_src=$(echo "$deps"/src/curl-*/)
  simdjson_src=$(echo "$deps"/src/simdjson-*/)
  httplib_src=$(echo "$deps"/src/cpp-httplib-*/)
  local versions
  versions="curl $(dpkg-parsechangelog -l "$curl_src/debian/changelog" -S Version)"
  versions+=", simdjson $(dpkg-parsechangelog -l "$simdjson_src/debian/changelog" -S Version)"
  versions+=", cpp-httplib $(dpkg-parsechangelog -l "$httplib_src/debian/changelog" -S Version)"

  step "libcurl: configure (HTTP(S), OpenSSL, zlib only)"
  mkdir -p "$deps/build/curl"
  # The shipped configure and Makefile.in are used as they are: Debian's
  # patches that touch configure.ac or Makefile.am only rename the GnuTLS and
  # NSS flavours or concern features that are off here, and
  # AM_MAINTAINER_MODE keeps make from regenerating them.
  (cd "$deps/build/curl" && CFLAGS="$dep_cflags" nice -n 15 "$curl_src/configure" --prefix="$prefix" \
    "${curl_configure[@]}" >configure.out 2>&1) || { tail -40 "$deps/build/curl/configure.out"; exit 1; }
  step "libcurl: build (nice -n 15 make -j$jobs)"
  nice -n 15 make -C "$deps/build/curl/lib" -j"$jobs" >"$deps/build/curl/make.out" 2>&1 ||
    { tail -40 "$deps/build/curl/make.out"; exit 1; }
  make -C "$deps/build/curl/lib" install >/dev/null
  make -C "$deps/build/curl/include" install >/dev/null
  make -C "$deps/build/curl" install-pkgconfigDATA >/dev/null
  # -isystem as for /usr/include, so -Dwerror=true is not about libcurl's headers.
  # shellcheck disable=SC2016
  sed -i 's|^Cflags: -I\${includedir}|Cflags: -isystem ${includedir}|' "$prefix/lib/pkgconfig/libcurl.pc"

  step "simdjson: libsimdjson.a from the single-file simdjson.cpp"
  cp "$simdjson_src/singleheader/simdjson.h" "$prefix/include/"
  nice -n 15 g++ "${simdjson_cxxflags[@]}" -c "$simdjson_src/singleheader/simdjson.cpp" \
    -I"$simdjson_src/singleheader" -o "$deps/build/simdjson.o"
  ar rcs "$prefix/lib/libsimdjson.a" "$deps/build/simdjson.o"
  local simdjson_version
  simdjson_version=$(sed -n 's/^#define SIMDJSON_VERSION "\?\([0-9.]*\)"\?.*/\1/p' "$prefix/include/simdjson.h" | head -1)
  cat >"$prefix/lib/pkgconfig/simdjson.pc" <<EOF
prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: simdjson
Description: simdjson built static from Debian's source package (tools/static-build.sh)
Version: $simdjson_version
Cflags: -isystem \${includedir} -DSIMDJSON_THREADS_ENABLED=1
Libs: -L\${libdir} -lsimdjson
Libs.private: -pthread
EOF

  step "cpp-httplib: the single header"
  cp "$httplib_src/httplib.h" "$prefix/include/"
  local httplib_version
  httplib_version=$(sed -n 's/^#define CPPHTTPLIB_VERSION "\(.*\)"/\1/p' "$prefix/include/httplib.h")
  cat >"$prefix/lib/pkgconfig/cpp-httplib.pc" <<EOF
prefix=$prefix
includedir=\${prefix}/include

Name: cpp-httplib
Description: cpp-httplib header-only from Debian's source package (tools/static-build.sh)
Version: $httplib_version
Requires.private: openssl >= 1.1.1, zlib
Cflags: -isystem \${includedir} $httplib_cflags
Libs: -pthread
EOF

  echo "$versions" >"$prefix/.versions"
  echo "$recipe" >"$prefix/.recipe"
  step "private prefix ready: $versions"
}

mode=${1:-all}
case $mode in
  all | --deps | --no-run) ;;
  *) echo "usage: $0 [--deps|--no-run]" >&2; exit 2 ;;
esac
install_missing "${packages[@]}"
build_deps
[ "$mode" = --deps ] && exit 0

# static_check EXE: `file` says statically linked and ldd finds nothing to load.
static_check() {
  local desc
  desc=$(file -b "$1")
  case $desc in
    *"statically linked"*) ;;
    *) echo "FAIL: $1 is not static: $desc" >&2; exit 1 ;;
  esac
  if ldd "$1" >/dev/null 2>&1; then
    echo "FAIL: ldd lists libraries for $1:" >&2; ldd "$1" >&2; exit 1
  fi
  echo "${1#"$root"/}: ${desc%%, BuildID*}; ldd: $(ldd "$1" 2>&1 | head -1 | sed 's/^[[:space:]]*//')"
}

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
setup_args=(--native-file "$root/tools/static/static.ini" --buildtype="$buildtype"
  -Dpkg_config_path="$prefix/lib/pkgconfig")
step "meson setup $bdir (tools/static/static.ini)"
if [ -f "$bdir/build.ninja" ]; then
  meson setup --reconfigure "$bdir" "${setup_args[@]}" >"$deps/meson-setup.out" ||
    { cat "$deps/meson-setup.out"; exit 1; }
else
  meson setup "$bdir" "${setup_args[@]}" >"$deps/meson-setup.out" || { cat "$deps/meson-setup.out"; exit 1; }
fi
# The linker's warnings stay visible: glibc's "Using 'getaddrinfo' in
# statically linked applications requires at runtime the shared libraries from
# the glibc version used for linking" (also gethostbyname, dlopen) is expected.
# It is about NSS: glibc 2.36's libc.a has the "files" and "dns" modules built
# in (_nss_files_gethostbyname4_r, _nss_dns_gethostbyname4_r), so with
# Debian's `hosts: files dns` nothing is loaded; only other modules named in
# /etc/nsswitch.conf (mdns, resolve, sss...) would be dlopen'ed, and must then
# come from the same glibc version. OpenSSL's dlopen is for engines and
# providers loaded by name: the library asks for none (a machine whose
# /usr/lib/ssl/openssl.cnf loads one would need it built for this OpenSSL).
targets=(tools/cli/finops-crawler examples/example tools/ce-simulator/finops-crawler-sim)
step "ninja -j$jobs ${targets[*]}"
nice -n 10 ninja -C "$bdir" -j"$jobs" "${targets[@]}"

# The size baseline: one HTTPS POST with the same libcurl, nothing else.
bare=$deps/bare
mkdir -p "$bare"
bare_flags=(-O3 -DNDEBUG -std=c++17 -Wall -Wextra -Werror)
step "bench/bare_https_post.cpp static (same libcurl, -static -Wl,--gc-sections)"
# shellcheck disable=SC2046
g++ "${bare_flags[@]}" -static -Wl,--gc-sections "$root/bench/bare_https_post.cpp" -o "$bare/bare_https_post-static" \
  $(pkg-config --static --cflags --libs libcurl)

step "checks: file, ldd"
for t in "${targets[@]}"; do static_check "$root/$bdir/$t"; done
static_check "$bare/bare_https_post-static"
[ "$mode" = --no-run ] && exit 0

step "finops-crawler demo (static binary)"
"$bdir/tools/cli/finops-crawler" demo >"$deps/demo.out" 2>&1 || { cat "$deps/demo.out"; echo "FAIL: demo" >&2; exit 1; }
tail -5 "$deps/demo.out"

step "examples/example (static) against finops-crawler-sim (static)"
"$root/tools/static/run_example.sh" "$bdir/tools/ce-simulator/finops-crawler-sim" "$bdir/examples/example"

step "bare_https_post (static): one HTTPS POST to 127.0.0.1, certificate verified"
"$root/tools/static/https_post_check.sh" "$bare/bare_https_post-static"

mkdir -p "$bdir/stripped"
for exe in "${targets[@]/#/$bdir/}" "$bare/bare_https_post-static"; do
  strip -o "$bdir/stripped/$(basename "$exe")" "$exe"
done
# The proof that nothing is loaded at run time: the stripped CLI alone in an
# empty directory as its root (no /lib, /usr or /etc). Needs root for chroot.
if [ "$(id -u)" -eq 0 ] && command -v chroot >/dev/null; then
  step "stripped finops-crawler demo in an empty root (chroot: no /lib, /usr, /etc)"
  jail=$deps/empty-root
  rm -rf "$jail" && mkdir -p "$jail/tmp"
  cp "$bdir/stripped/finops-crawler" "$jail/"
  chroot "$jail" /finops-crawler demo >"$deps/demo-chroot.out" 2>&1 ||
    { cat "$deps/demo-chroot.out"; echo "FAIL: demo in an empty root" >&2; exit 1; }
  tail -1 "$deps/demo-chroot.out"
  rm -rf "$jail"
else
  step "demo in an empty root: skipped (needs root for chroot)"
fi

step "stripped sizes (bench/binary_sizes.sh compares them with dynamic builds)"
for exe in "${targets[@]/#/$bdir/}" "$bare/bare_https_post-static"; do
  stat -c %s "$bdir/stripped/$(basename "$exe")" |
    awk -v n="$(basename "$exe")" '{printf "%-24s static, stripped: %9d bytes (%.2f MiB)\n", n, $1, $1 / 1048576}'
done
step "done"
