#!/usr/bin/env bash
# The whole test run: provisions a throwaway PostgreSQL cluster and Redis server, checks lint and
# migrations, runs pytest (browser tests drive Debian's Chromium), and tears everything down.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/civic -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

source scripts/services.sh

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

teardown() {
  status=$?
  services_stop
  exit $status
}
trap teardown EXIT
# fsync off: a throwaway cluster for tests only.
services_start fsync=off synchronous_commit=off full_page_writes=off

export SECRET_KEY="test-only-secret-key-$(date +%s)"
export DEBUG=false HTTPS=false DB_CONN_MAX_AGE=0

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
