# Sourced by test.sh and bench.sh: a throwaway PostgreSQL cluster and Redis server on free ports.
# Usage: services_start [extra postgres -c options...]; exports DATABASE_URL and CELERY_BROKER_URL;
# services_stop (run from an EXIT trap) stops both and removes their folder.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

services_start() {
  PGBIN=""
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ]; then PGBIN=$d; break; fi
  done
  [ -n "$PGBIN" ] || { echo "PostgreSQL binaries not found (expected /usr/lib/postgresql/15/bin)" >&2; return 1; }
  services_dir=$(mktemp -d /tmp/civic-services.XXXXXX)
  chmod 755 "$services_dir"
  pgdir="$services_dir/pg"
  mkdir -p "$pgdir"
  as_pg=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; as_pg=(runuser -u postgres --); fi
  local pgport redisport opts=""
  pgport=$(free_port)
  redisport=$(free_port)
  for o in "$@"; do opts="$opts -c $o"; done
  "${as_pg[@]}" "$PGBIN/initdb" -D "$pgdir/data" -A trust -U civic -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200$opts" start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p "$pgport" -U civic civic
  redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$services_dir/redis.pid" --dir "$services_dir" --logfile "$services_dir/redis.log"
  for _ in $(seq 50); do redis-cli -p "$redisport" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export DATABASE_URL="postgres://civic@127.0.0.1:$pgport/civic"
  export CELERY_BROKER_URL="redis://127.0.0.1:$redisport/0"
  echo "PostgreSQL on port $pgport, Redis on port $redisport"
}

services_stop() {
  [ -n "${services_dir:-}" ] || return 0
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  if [ -f "$services_dir/redis.pid" ]; then kill "$(cat "$services_dir/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$services_dir"
}
