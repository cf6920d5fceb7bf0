#!/usr/bin/env bash
# Set up a development / CI machine for dockgen (Debian 12, as root): install dockgen with its development
# extras, then install and start the Docker engine, buildx, QEMU and the local registries (scripts/infra.sh).
# Idempotent: a second run takes seconds.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
echo "setup: installing dockgen and its development dependencies"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[dev]'
echo "setup: starting the Docker engine, buildx, QEMU and the local registries"
bash scripts/infra.sh
