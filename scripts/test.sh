#!/usr/bin/env bash
# The whole test run: provisions a throwaway PostgreSQL cluster and Redis server, checks lint and
# migrations, runs pytest (browser tests drive Debian's Chromium), and tears everything down.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/civic -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# System packages the suite needs: Redis, Chromium (with CJK fonts for screenshots), and gettext for
# the translation check.
missing=()
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PGBIN=""
for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
  if [ -x "$d/initdb" ]; then PGBIN=$d; break; fi
done
[ -n "$PGBIN" ] || { echo "PostgreSQL binaries not found (expected /usr/lib/postgresql/15/bin)" >&2; exit 1; }

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

work=$(mktemp -d /tmp/civic-test.XXXXXX)
chmod 755 "$work"
pgdir="$work/pg"
mkdir -p "$pgdir"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; as_pg=(runuser -u postgres --); fi
pgport=$(free_port)
redisport=$(free_port)

teardown() {
  status=$?
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  if [ -f "$work/redis.pid" ]; then kill "$(cat "$work/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
  exit $status
}
trap teardown EXIT

"${as_pg[@]}" "$PGBIN/initdb" -D "$pgdir/data" -A trust -U civic -E UTF8 --locale=C.UTF-8 >/dev/null
# fsync off: a throwaway cluster for tests only.
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$pgport" -U civic civic
redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --dir "$work" --logfile "$work/redis.log"
for _ in $(seq 50); do redis-cli -p "$redisport" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://civic@127.0.0.1:$pgport/civic"
export CELERY_BROKER_URL="redis://127.0.0.1:$redisport/0"
export SECRET_KEY="test-only-secret-key-$(date +%s)"
export DEBUG=false HTTPS=false
export CIVIC_TEST_SERVICES=1
echo "PostgreSQL on port $pgport, Redis on port $redisport"

# SKIP_CHECKS=1 skips lint and the migrations check for a quick focused run; `make test` never sets it.
if [ "${SKIP_CHECKS:-}" != 1 ]; then
  echo "== ruff"
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  echo "== migrations"
  "$PY" manage.py makemigrations --check --dry-run
fi
echo "== pytest"
"$PY" -m pytest "$@"
