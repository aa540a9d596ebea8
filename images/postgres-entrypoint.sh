#!/bin/bash
# Entrypoint of the stand-in PostgreSQL image (images/stand-in-postgres.sh): the part of the official image's
# docker-entrypoint.sh that the platform's in-cluster server uses (src/constructs/postgres-server.ts), so the
# same settings work: PGDATA, PGPORT, POSTGRES_PASSWORD_FILE (the superuser's password), and on the first start
# (an empty PGDATA) every /docker-entrypoint-initdb.d/*.sh run against a server that listens on its socket only.
# It runs as the image's postgres user (never root) on a read-only root filesystem: PGDATA is a volume and
# /var/run/postgresql and /tmp are writable mounts.
set -Eeuo pipefail

if [[ "${1:-postgres}" != postgres ]]; then exec "$@"; fi
[[ $# -gt 0 ]] && shift

: "${PGDATA:?PGDATA must name the data directory}"
: "${POSTGRES_PASSWORD_FILE:?POSTGRES_PASSWORD_FILE must name the file with the superuser password}"
export POSTGRES_USER="${POSTGRES_USER:-postgres}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  # initdb creates PGDATA (mode 0700). As the official image: the superuser's password from the file, scram-sha-256 over TCP, trust on the socket.
  initdb --username="$POSTGRES_USER" --pwfile="$POSTGRES_PASSWORD_FILE" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C --pgdata="$PGDATA" >/dev/null
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses='' -c jit=off" --wait --silent start
  for script in /docker-entrypoint-initdb.d/*; do
    case "$script" in
      *.sh) echo "postgres-entrypoint: running $script" >&2; if [[ -x "$script" ]]; then "$script"; else . "$script"; fi ;;
      *.sql) echo "postgres-entrypoint: running $script" >&2; psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres -f "$script" ;;
      *) ;;
    esac
  done
  pg_ctl --pgdata="$PGDATA" --mode=fast --wait --silent stop
  echo 'postgres-entrypoint: initialised; starting' >&2
fi

# JIT is off: the stand-in leaves out LLVM (llvmjit.so and its 100 MB library).
exec postgres -c listen_addresses='*' -c jit=off "$@"
