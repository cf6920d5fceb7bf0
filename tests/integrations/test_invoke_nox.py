"""The invoke collection and nox helpers, run for real on the examples (invoke and nox as users run them)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=EXAMPLES, capture_output=True, text=True, timeout=300)


def test_invoke_lists_the_dockgen_tasks() -> None:
    out = _run(sys.executable, "-m", "invoke", "--list")
    assert out.returncode == 0, out.stderr
    for name in ("lint", "render", "build", "push", "plan", "tags"):
        assert f"images.{name}" in out.stdout


def test_invoke_render_check_and_plan() -> None:
    out = _run(sys.executable, "-m", "invoke", "images.render", "--check")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run(sys.executable, "-m", "invoke", "images.plan", "--version", "1.0.0")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "examples/monorepo-base:1.0.0" in out.stdout


def test_invoke_tags_and_failure_exit_code() -> None:
    out = _run(sys.executable, "-m", "invoke", "images.tags", "--version", "2.1.0", "--env", "prod")
    assert out.returncode == 0, out.stderr
    assert "examples/monorepo-api:2.1.0-prod" in out.stdout
    bad = _run(sys.executable, "-m", "invoke", "images.tags", "--version", "not a version!")
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr


def test_invoke_collection_configuration() -> None:
    from invoke.context import Context

    from dockgen.integrations.invoke import make_collection

    ns = make_collection(file="x.py", env="staging")
    assert ns.configuration()["dockgen"] == {"file": "x.py", "env": "staging"}
    assert set(ns.task_names) >= {"lint", "render", "build", "push", "plan", "tags"}
    assert isinstance(Context(), Context)


@pytest.mark.skipif(shutil.which("nox") is None and not shutil.which(sys.executable), reason="nox missing")
def test_nox_sessions_run() -> None:
    out = _run(sys.executable, "-m", "nox", "-s", "images", "plan")
    assert out.returncode == 0, out.stdout + out.stderr
    log = out.stdout + out.stderr
    assert "dockgen --file monorepo/build_images.py render --check" in log
    assert "Session images was successful" in log and "Session plan was successful" in log
