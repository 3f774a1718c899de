#!/usr/bin/env bash
# make test: lint, the suite on SQLite, the suite on a throwaway PostgreSQL cluster, then browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export WARDEN_DATA_DIR=${WARDEN_DATA_DIR:-$(mktemp -d /tmp/warden-test-XXXX)}

echo "== lint, layering and types (ruff, ruff format, lint-imports, mypy)"
$BIN/ruff check warden tests bench conftest.py
$BIN/ruff format --check warden tests bench conftest.py
$BIN/lint-imports  # the layers of docs/architecture.md ([tool.importlinter] in pyproject.toml)
$BIN/mypy --strict warden  # strict = true in [tool.mypy] too; said here so CI cannot drift

echo "== suite on SQLite (the matcher compiled: make test builds it first; the suite checks it is in use)"
WARDEN_EXPECT_COMPILED_MATCHER=1 $BIN/pytest -m "not browser" -n 2 --dist loadfile

echo "== the matcher's tests on its Python source (the fallback where the compiled build is absent)"
WARDEN_PURE_MATCHER=1 $BIN/pytest -m "not browser" -n 2 --dist loadfile warden/screening/tests

echo "== suite on PostgreSQL"
pgdir=$(mktemp -d /tmp/warden-pg-XXXX)
trap 'bash scripts/pg-cluster.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
url=$(bash scripts/pg-cluster.sh start "$pgdir" "${PGPORT:-55432}")
WARDEN_DATABASE_URL=$url $BIN/pytest -m "not browser" -n 2 --dist loadfile

echo "== browser journeys (Playwright, Debian chromium)"
if [ ! -x /usr/bin/chromium ]; then
  (apt-get install -y chromium || (apt-get update && apt-get install -y chromium)) >/dev/null
fi
$BIN/pytest -m browser -p no:xdist

echo "== dependency audit (pip-audit over requirements.lock; fails on a known vulnerability)"
$BIN/python scripts/dep_audit.py
