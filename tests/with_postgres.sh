#!/bin/sh
# Runs a test program with a throw-away PostgreSQL server (issue 9):
#   tests/with_postgres.sh PROGRAM [ARGS...]
# pg_virtualenv -t (Debian's postgresql-common) creates a cluster of the
# newest installed PostgreSQL in a temporary directory (also as root), starts
# it, exports PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE, runs the
# program and deletes the cluster. The port is one the kernel just gave as
# free, so the tests of several build directories can run at the same time
# (pg_virtualenv alone would give each of them 5432). Without PostgreSQL
# installed this fails loudly: these tests never skip.
set -eu
if ! command -v pg_virtualenv >/dev/null 2>&1; then
  echo "$0: pg_virtualenv not found: install postgresql and postgresql-common" \
       "(./tools/dev.sh test installs them); the PostgreSQL tests do not skip" >&2
  exit 1
fi
PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PGPORT
exec pg_virtualenv -t "$@"
