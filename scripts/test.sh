#!/usr/bin/env bash
# Run dockgen's whole test-suite against the real engine and registries (sets them up first, see setup.sh).
# Runs in the checkout's virtual environment .venv; extra arguments go to pytest, e.g. `bash scripts/test.sh -k parse`.
# The suite includes the static checks (ruff check, ruff format --check, mypy: tests/test_static_checks.py).
set -Eeuo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export DOCKGEN_REQUIRE_INFRA=1
exec "$VIRTUAL_ENV/bin/python" -m pytest -p no:cacheprovider "$@"
