"""Tests for DG050 pip-install-without-no-cache-dir (dg050_pip_install_without_no_cache_dir)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg050_pip_install_without_no_cache_dir import PipInstallWithoutNoCacheDir

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("missing", "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n", [2]),
    ("python-m", "FROM python:3.12-slim\nRUN python3 -m pip install x==1\n", [2]),
    ("empty-env", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=\nRUN pip install x\n", [3]),
]

DOES_NOT_CATCH = [
    ("flag", "FROM python:3.12-slim\nRUN pip install -r requirements.txt --no-cache-dir\n"),
    ("env-1", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n"),
    ("env-off", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=off\nRUN pip install x\n"),
    ("arg", "FROM python:3.12-slim\nARG PIP_NO_CACHE_DIR=false\nRUN pip install x\n"),
    (
        "inherited-env",
        "FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install x\n",
    ),
    ("assignment", "FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install x\n"),
    ("cache-mount", "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n"),
    (
        "cache-dir-mount",
        "FROM python:3.12-slim\nRUN --mount=type=cache,target=/pipcache pip install --cache-dir=/pipcache x\n",
    ),
    ("purge", "FROM python:3.12-slim\nRUN pip install x && pip cache purge\n"),
    ("download", "FROM python:3.12-slim\nRUN pip download x\n"),
    ("builder", "FROM python:3.12 AS b\nRUN pip install x\nFROM python:3.12-slim\nCOPY --from=b /x /x\n"),
    ("heredoc-flag", "FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir x\nEOF\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(PipInstallWithoutNoCacheDir, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG050" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(PipInstallWithoutNoCacheDir, text, options=OPTIONS) == []


FIXES = [
    (
        "insert",
        "FROM python:3.12-slim\nRUN pip install -U pip && pip3 install -r r.txt\n",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -U pip && pip3 install --no-cache-dir -r r.txt\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(PipInstallWithoutNoCacheDir, before, options=OPTIONS) == after
