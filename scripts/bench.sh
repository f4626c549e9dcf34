#!/usr/bin/env bash
# Performance figures are measured here, never in unit tests. Benchmarks arrive with the dashboards
# and load work; until then there is nothing to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d bench ] && ls bench/*.py >/dev/null 2>&1; then
  exec .venv/bin/python -m pytest bench -q -p no:cacheprovider
fi
echo "No benchmarks are defined yet."
