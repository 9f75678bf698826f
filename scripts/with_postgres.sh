#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server: initdb in a temporary directory, pg_ctl on
# a free loopback port (as the unprivileged user `postgres` when run as root), the server's URL
# exported as BOEX_TEST_POSTGRES_URL; the cluster is stopped and removed when the command ends.
#
#   scripts/with_postgres.sh [--fast] COMMAND [ARGS...]
#
# --fast turns fsync off (tests: nothing needs to survive a power cut); without it the server is
# as durable as a default installation (benchmarks). When BOEX_TEST_POSTGRES_URL is already set,
# the command runs against that server instead. Fails loudly when no server can be started.
set -euo pipefail

fast=0
if [ "${1:-}" = "--fast" ]; then
  fast=1
  shift
fi
[ $# -ge 1 ] || { echo "usage: $0 [--fast] COMMAND [ARGS...]" >&2; exit 2; }

if [ -n "${BOEX_TEST_POSTGRES_URL:-}" ]; then
  echo "with_postgres: using the server at BOEX_TEST_POSTGRES_URL" >&2
  exec "$@"
fi

die() {
  echo "with_postgres: $*" >&2
  exit 1
}

bindir=""
if command -v pg_config >/dev/null 2>&1; then bindir="$(pg_config --bindir)"; fi
if [ ! -x "$bindir/initdb" ]; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
[ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ] ||
  die "initdb/pg_ctl not found (install Debian's postgresql: scripts/setup.sh does)"

dir="$(mktemp -d "${TMPDIR:-/tmp}/boex-postgres.XXXXXX")"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root; Debian's package creates the system user `postgres`.
  getent passwd postgres >/dev/null || die "running as root, but there is no user 'postgres' to run the server"
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap "exit 130" INT TERM

password="boex-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
# printf, a builtin, keeps the password off every command line.
printf '%s\n' "$password" > "$dir/password"
[ ${#as_owner[@]} -eq 0 ] || chown postgres: "$dir/password"
"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U boex --pwfile="$dir/password" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; die "initdb failed"; }
rm -f "$dir/password"

options="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=200"
[ "$fast" -eq 0 ] || options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
started=0
for attempt in 1 2 3 4 5 6 7 8; do
  port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
  if "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "$options -c port=$port" start >/dev/null 2>&1; then
    started=1
    break
  fi
  # Most likely the port was taken; try another.
done
[ "$started" -eq 1 ] || { cat "$dir/server.log" >&2 2>/dev/null || true; die "pg_ctl could not start the server"; }

export BOEX_TEST_POSTGRES_URL="postgresql://boex:$password@127.0.0.1:$port/postgres"
echo "with_postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)" >&2
status=0
"$@" || status=$?
exit "$status"
