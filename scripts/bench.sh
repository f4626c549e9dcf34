#!/usr/bin/env bash
# Performance figures, measured on a real PostgreSQL (fsync on) filled with the demo population.
# BENCH_HOUSEHOLDS sets the size (default 340,000 households, about a million residents).
# Then the money engine on a database of its own: BENCH_ENTITLEMENTS monthly benefits (default 1,000,000),
# a month's batch generation and a new standard's recompute, timed against their targets.
# Then the managers' dashboard on a database of its own: BENCH_DASHBOARD_HOUSEHOLDS households with a benefit each
# (default 1,000,000) and BENCH_MEALS meal records (default 10,000,000), every figure source refreshed, and each
# level's page timed against p95 ≤ 300 ms.
# Then low-income population monitoring on a database of its own: BENCH_MONITORED people covered by benefits
# (default 1,000,000) and BENCH_FEED_RECORDS partner records of a day (default 100,000), ingested through the
# service and checked by the nightly run twice (the first night, then a steady-state one), against ≤ 5 minutes.
# BENCH_ONLY=registry, money, dashboard or monitoring runs one part only. Every part runs even when an earlier one misses its
# targets; the script exits non-zero if any did.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
command -v redis-server >/dev/null 2>&1 || { as_root apt-get update -qq; as_root apt-get install -y -qq redis-server >/dev/null; }

only="${BENCH_ONLY:-}"
case "$only" in "" | registry | money | dashboard | monitoring) ;;
  *) echo "BENCH_ONLY must be registry, money, dashboard or monitoring" >&2; exit 2 ;;
esac
part() { [ -z "$only" ] || [ "$only" = "$1" ]; }
failed=0

trap services_stop EXIT
services_start
export SECRET_KEY="bench-only-secret-key" DEBUG=false HTTPS=false
if part registry; then
  .venv/bin/python manage.py migrate --noinput -v0
  .venv/bin/python manage.py seed_demo --households "${BENCH_HOUSEHOLDS:-340000}" | tail -1
  .venv/bin/python manage.py shell -v0 -c "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
  for script in bench/*.py; do
    .venv/bin/python "$script" || failed=1
  done
fi
# The money engine on a fresh database in the same cluster: its benchmark seeds its own households and benefits
# and checks every batch line against them.
if part money; then
  money_url="${DATABASE_URL%/*}/civic_money"
  "$PGBIN/psql" -q "$DATABASE_URL" -c "CREATE DATABASE civic_money"
  DATABASE_URL="$money_url" .venv/bin/python manage.py migrate --noinput -v0
  DATABASE_URL="$money_url" .venv/bin/python manage.py bench_disbursement --entitlements "${BENCH_ENTITLEMENTS:-1000000}" \
    || failed=1
fi
# The dashboard on a fresh database too: it seeds its city (regions, households with benefits, meal halls and meals,
# applications), refreshes every figure source and times the page at the city, district, street and community.
if part dashboard; then
  dashboard_url="${DATABASE_URL%/*}/civic_dashboard"
  "$PGBIN/psql" -q "$DATABASE_URL" -c "CREATE DATABASE civic_dashboard"
  DATABASE_URL="$dashboard_url" .venv/bin/python manage.py migrate --noinput -v0
  DATABASE_URL="$dashboard_url" .venv/bin/python manage.py bench_dashboard \
    --households "${BENCH_DASHBOARD_HOUSEHOLDS:-1000000}" --meals "${BENCH_MEALS:-10000000}" || failed=1
fi
# Monitoring on a fresh database too: it seeds its watched population and a day of partner records, times their
# ingest through the service and the nightly run, twice.
if part monitoring; then
  monitoring_url="${DATABASE_URL%/*}/civic_monitoring"
  "$PGBIN/psql" -q "$DATABASE_URL" -c "CREATE DATABASE civic_monitoring"
  DATABASE_URL="$monitoring_url" .venv/bin/python manage.py migrate --noinput -v0
  DATABASE_URL="$monitoring_url" .venv/bin/python manage.py bench_monitoring \
    --people "${BENCH_MONITORED:-1000000}" --records "${BENCH_FEED_RECORDS:-100000}" || failed=1
fi
exit $failed
