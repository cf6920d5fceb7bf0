"""The checks the README names run with the suite (so CI runs them): ``ruff check .``,
``ruff format --check .`` and ``mypy`` (strict, configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "argv",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_static_check_passes(argv: list[str]) -> None:
    res = subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, f"`{' '.join(argv)}` failed:\n{res.stdout[-6000:]}\n{res.stderr[-3000:]}"
