#!/usr/bin/env bash
# Run dockgen's whole test-suite against the real engine and registries (sets them up first).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k parse`.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DOCKGEN_REQUIRE_INFRA=1
exec python3 -m pytest -p no:cacheprovider "$@"
