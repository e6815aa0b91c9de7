#!/bin/sh
# Entrypoint for postkit's offline test images. It follows the official postgres image's conventions
# (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, initdb on first start) so the docker runtime treats
# these images exactly like postgres:<major>-alpine. Extra arguments go to the server (e.g. -p 15433).
set -eu
major=$(ls /usr/lib/postgresql | sort -n | tail -1)
bin=/usr/lib/postgresql/$major/bin
PGDATA=${PGDATA:-/var/lib/postgresql/data}
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
[ "${1:-}" = postgres ] && shift
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" > "$pwfile"
  chown postgres "$pwfile"
  as_pg "$bin/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    as_pg "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE DATABASE "$POSTGRES_DB";
SQL
  fi
fi
# postgres becomes PID 1, so `docker stop` (SIGTERM) reaches it directly: a smart, clean shutdown.
exec setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -D "$PGDATA" \
  -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql "$@"
