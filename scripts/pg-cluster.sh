#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster for tests and benchmarks.
#   scripts/pg-cluster.sh start DIR PORT   -> prints the database URL on stdout
#   scripts/pg-cluster.sh stop DIR
# initdb and pg_ctl refuse to run as root, so as root they run as the postgres user in a folder it owns.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bindir=$(pg_config --bindir 2>/dev/null || true)
for d in "$bindir" /usr/lib/postgresql/15/bin /usr/local/bin; do [ -x "$d/pg_ctl" ] && { bindir=$d; break; }; done
case "$cmd" in
  start)
    port=${3:-55432}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bindir/initdb" -D "$dir/data" -U warden --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    fi
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
      start >/dev/null
    echo "postgres://warden@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
