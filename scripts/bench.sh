#!/usr/bin/env bash
# Performance figures, measured on a real PostgreSQL (fsync on) filled with the demo population.
# BENCH_HOUSEHOLDS sets the size (default 340,000 households, about a million residents).
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
