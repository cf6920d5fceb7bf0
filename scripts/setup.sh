#!/usr/bin/env bash
# Set up a development / CI machine for dockgen (Debian 12, as root):
#   1. a virtual environment .venv in the checkout with dockgen (editable) and its development extras —
#      Debian's python3 is "externally managed" (PEP 668), so nothing is installed into the system Python;
#      python3-venv is installed with apt when the interpreter cannot create virtual environments;
#   2. the Docker engine, buildx, QEMU and the local registries (scripts/infra.sh).
# Works with nothing but Debian's /usr/bin/python3 on a stock PATH (no `python` command needed).
# Idempotent: a second run skips the install unless pyproject.toml changed, and takes seconds.
#
#   DOCKGEN_PYTHON=/path/to/python3   interpreter for the venv (default: python3 on PATH; needs >= 3.11)
#   DOCKGEN_SETUP_SKIP_INFRA=1        set up the Python environment only (no engine, no registries)
set -Eeuo pipefail
cd "$(dirname "$0")/.."

python=${DOCKGEN_PYTHON:-python3}
venv=.venv
stamp=$venv/.dockgen-setup

if ! command -v "$python" >/dev/null 2>&1; then
    echo "setup: $python not found; install it first: apt-get install -y python3 python3-venv" >&2
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup: dockgen needs Python >= 3.11, $python is $("$python" -V 2>&1); set DOCKGEN_PYTHON" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pip' >/dev/null 2>&1; then
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # Debian ships venv's ensurepip in a separate package.
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "setup: installing python3-venv (apt)"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
        else
            echo "setup: $python cannot create a virtual environment; install python3-venv (as root:" \
                "apt-get install -y python3-venv) and run this again" >&2
            exit 1
        fi
    fi
    echo "setup: creating the virtual environment $venv ($("$python" -V 2>&1))"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    rm -f "$stamp"
fi

# Re-install only when the project's metadata changed (or the last install did not finish).
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1) $("$venv/bin/python" -V 2>&1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$venv/bin/python" -c 'import dockgen' >/dev/null 2>&1; then
    echo "setup: installing dockgen and its development dependencies into $venv"
    # The distribution was called `dockgen` before it became `dockgen-py`: an old editable install of it
    # would register the rule pack and the command a second time.
    if "$venv/bin/python" -m pip show --quiet dockgen >/dev/null 2>&1; then
        "$venv/bin/python" -m pip uninstall --quiet --yes dockgen
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
    printf '%s\n' "$want" >"$stamp"
else
    echo "setup: $venv is up to date"
fi

if [ "${DOCKGEN_SETUP_SKIP_INFRA:-}" = 1 ]; then
    exit 0
fi
echo "setup: starting the Docker engine, buildx, QEMU and the local registries"
bash scripts/infra.sh
