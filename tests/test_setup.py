"""The README's "Two commands" work on a stock Debian 12, from a fresh clone.

* On this machine, the README block runs as written in a fresh copy of the checkout under
  ``env -i HOME=/root PATH=<Debian's default root PATH>``: no ``python`` command, and ``python3`` is Debian's
  own ``/usr/bin/python3``, which is "externally managed" (PEP 668). Then the set-up runs a second time and
  must be quick and install nothing.
* In a ``debian:bookworm`` container (from the local mirror) with only ``python3`` installed from Debian's
  archive — no ``python3-venv``, no pip — the Python half of the set-up (``DOCKGEN_SETUP_SKIP_INFRA=1``)
  installs python3-venv itself, creates ``.venv`` and installs dockgen there.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.support import infra
from tests.support.checkout import fresh_copy

ROOT = Path(__file__).resolve().parents[1]
STOCK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MARKER = Path("/usr/lib/python3.11/EXTERNALLY-MANAGED")

pytestmark = [pytest.mark.slow, pytest.mark.docker]


def _two_commands_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Two commands")
    section = text[start : text.index("\n## ", start + 1)]
    block = re.search(r"^```bash\n(.*?)^```", section, re.S | re.M)
    assert block, "the Two commands section has no bash block"
    return [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _stock(cmd: str, cwd: Path, timeout: float = 1500) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["env", "-i", "HOME=/root", f"PATH={STOCK_PATH}", "bash", "-c", cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_readme_block_is_setup_main_job_and_test_command() -> None:
    lines = _two_commands_block()
    assert lines[0].startswith(
        "bash scripts/setup.sh && .venv/bin/python examples/monorepo/build_images.py build"
    )
    assert lines[1:] == ["bash scripts/test.sh"]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("\nbash scripts/test.sh")
    assert ".venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_two_commands_on_a_stock_path_with_debians_python(tmp_path: Path) -> None:
    infra.require_engine()
    debian_python = shutil.which("python3", path=STOCK_PATH)
    if debian_python != "/usr/bin/python3" or not MARKER.is_file():
        pytest.skip("needs Debian 12's externally-managed /usr/bin/python3 first on the stock PATH")
    assert shutil.which("python", path=STOCK_PATH) is None, "a stock Debian has no `python` command"
    clone = fresh_copy(tmp_path / "clone")

    setup_and_main_job = _two_commands_block()[0]
    res = _stock(setup_and_main_job, clone)
    assert res.returncode == 0, f"{setup_and_main_job}\n{res.stdout[-4000:]}\n{res.stderr[-4000:]}"
    assert "externally-managed-environment" not in res.stderr
    for image in (
        "monorepo-base",
        "monorepo-api",
        "monorepo-worker",
    ):  # the main job's images are in the registry
        with urllib.request.urlopen(
            f"http://{infra.PLAIN_REGISTRY}/v2/examples/{image}/tags/list", timeout=30
        ) as r:
            assert "1.0.0" in json.load(r)["tags"], image
    cfg = (clone / ".venv" / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "home = /usr/bin\n" in cfg, cfg  # the venv is built on Debian's own interpreter

    started = time.monotonic()
    res = _stock("bash scripts/setup.sh", clone)
    took = time.monotonic() - started
    assert res.returncode == 0, res.stderr[-4000:]
    assert "setup: .venv is up to date" in res.stdout
    assert took < 60, f"a second set-up took {took:.0f} s"

    # the test command, on part of the suite (the whole suite is what is running this test)
    res = _stock("bash scripts/test.sh -q tests/test_parse.py tests/test_readme.py", clone)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    assert re.search(r"^\d+ passed", res.stdout, re.M), res.stdout[-2000:]


_CONTAINER_SCRIPT = r"""
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 >/dev/null
ls /usr/lib/python3.11/EXTERNALLY-MANAGED
if python3 -c 'import ensurepip' 2>/dev/null; then echo 'before: venv available'; else echo 'before: no venv'; fi
command -v python || echo 'before: no python command'
run() { env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        PIP_CERT=/host-ca.crt DOCKGEN_SETUP_SKIP_INFRA=1 "$@"; }
run bash scripts/setup.sh
run .venv/bin/dockgen --version
run .venv/bin/python -c 'import sys; print("base-prefix:", sys.base_prefix)'
run .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_parse.py | tail -1
start=$(date +%s)
run bash scripts/setup.sh
echo "second-run-seconds: $(( $(date +%s) - start ))"
"""


def test_python_setup_in_a_bookworm_container(tmp_path: Path) -> None:
    """Debian's python3 in a real ``debian:bookworm``: the set-up brings python3-venv itself.

    The container reaches Debian's archive and PyPI like this machine does; the machine's CA bundle is
    mounted for pip (``PIP_CERT``) because this network inspects TLS with its own CA.
    """
    infra.require_engine()
    clone = fresh_copy(tmp_path / "clone")
    ca = Path("/etc/ssl/certs/ca-certificates.crt")
    name = f"dockgen-setup-test-{uuid.uuid4().hex[:8]}"
    argv = [
        "docker",
        "run",
        "--rm",
        "--name",
        name,
        "-v",
        f"{clone}:/src",
        "-w",
        "/src",
        *(["-v", f"{ca}:/host-ca.crt:ro"] if ca.is_file() else []),
        "debian:bookworm",
        "bash",
        "-c",
        _CONTAINER_SCRIPT,
    ]
    try:
        res = subprocess.run(argv, capture_output=True, text=True, timeout=1500)
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
        # the container ran as root and wrote .venv into the copy: nothing to fix up for tmp_path's removal
    out = res.stdout + res.stderr
    assert res.returncode == 0, f"{shlex.join(argv[:-1])} ...\n{out[-5000:]}"
    assert "/usr/lib/python3.11/EXTERNALLY-MANAGED" in out
    assert "before: no venv" in out, "the image already had python3-venv: the test proves less than it says"
    assert "before: no python command" in out
    assert "setup: installing python3-venv (apt)" in out
    assert "base-prefix: /usr\n" in out
    assert re.search(r"^dockgen \d+\.\d+\.\d+", res.stdout, re.M)
    assert re.search(r"^\d+ passed", res.stdout, re.M), out[-3000:]
    assert "setup: .venv is up to date" in out
    seconds = int(re.search(r"second-run-seconds: (\d+)", out).group(1))  # type: ignore[union-attr]
    assert seconds < 30
