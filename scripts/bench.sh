#!/usr/bin/env bash
# Performance figures, measured on a real PostgreSQL (fsync on) filled with the demo population.
# BENCH_HOUSEHOLDS sets the size (default 340,000 households, about a million residents).
# Then the money engine on a database of its own: BENCH_ENTITLEMENTS monthly benefits (default 1,000,000),
# a month's batch generation and a new standard's recompute, timed against their targets.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
command -v redis-server >/dev/null 2>&1 || { as_root apt-get update -qq; as_root apt-get install -y -qq redis-server >/dev/null; }

trap services_stop EXIT
services_start
export SECRET_KEY="bench-only-secret-key" DEBUG=false HTTPS=false
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo --households "${BENCH_HOUSEHOLDS:-340000}" | tail -1
.venv/bin/python manage.py shell -v0 -c "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
for script in bench/*.py; do
  .venv/bin/python "$script"
done
# The money engine on a fresh database in the same cluster: its benchmark seeds its own households and benefits
# and checks every batch line against them.
money_url="${DATABASE_URL%/*}/civic_money"
"$PGBIN/psql" -q "$DATABASE_URL" -c "CREATE DATABASE civic_money"
DATABASE_URL="$money_url" .venv/bin/python manage.py migrate --noinput -v0
DATABASE_URL="$money_url" .venv/bin/python manage.py bench_disbursement --entitlements "${BENCH_ENTITLEMENTS:-1000000}"
