"""Every test module runs: the plain test command (`pytest` from the checkout, as scripts/test.sh runs it)
must collect at least one test from each ``tests/**/test_*.py``.

pytest silently skips folders its ``norecursedirs`` names (``build``, ``dist``, ``*.egg``, ``.*``, ``venv``...)
and modules whose file name does not match; a folder renamed to one of those would drop its tests from CI
without a single failure. This test makes that a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _collected_modules() -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, f"collection failed:\n{res.stdout[-4000:]}\n{res.stderr[-4000:]}"
    return {line.split("::", 1)[0] for line in res.stdout.splitlines() if "::" in line}


def test_every_test_module_is_collected() -> None:
    on_disk = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tests").rglob("test_*.py")
        if "__pycache__" not in p.parts
    }
    assert len(on_disk) > 100, "the test tree is not where this test expects it"
    missing = sorted(on_disk - _collected_modules())
    assert not missing, (
        "these test modules are not collected by the plain `pytest` run (a folder pytest skips, such as "
        f"build/ or dist/, or a module without tests): {missing}"
    )
