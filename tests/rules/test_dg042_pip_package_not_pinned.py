"""Tests for DG042 pip-package-not-pinned (dg042_pip_package_not_pinned)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg042_pip_package_not_pinned import PipPackageNotPinned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("unpinned", "FROM python:3.12-slim\nRUN pip install flask\n", [2]),
    ("extras", "FROM python:3.12-slim\nRUN pip install 'uvicorn[standard]'\n", [2]),
    ("python-m", "FROM python:3.12-slim\nRUN python -m pip install flask\n", [2]),
]

DOES_NOT_CATCH = [
    ("pinned", "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n"),
    ("requirements", "FROM python:3.12-slim\nRUN pip install -r requirements.txt --no-cache-dir\n"),
    ("constraints", "FROM python:3.12-slim\nRUN pip install -c constraints.txt flask\n"),
    ("local", "FROM python:3.12-slim\nRUN pip install .\n"),
    ("wheel", "FROM python:3.12-slim\nRUN pip install dist/app-1.0-py3-none-any.whl\n"),
    ("range", "FROM python:3.12-slim\nRUN pip install 'flask>=3,<4'\n"),
    ("download", "FROM python:3.12-slim\nRUN pip download flask\n"),
    ("editable", "FROM python:3.12-slim\nRUN pip install -e .\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(PipPackageNotPinned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG042" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(PipPackageNotPinned, text, options=OPTIONS) == []


@pytest.mark.parametrize(
    ("spec", "flagged"),
    [
        ("git+https://github.com/org/repo", True),
        ("git+https://github.com/org/repo@main", True),
        ("pkg @ git+https://github.com/org/repo", True),
        ("git+ssh://git@github.com/org/repo.git", True),
        ("git+https://github.com/org/repo@v1.2.3", False),
        ("git+https://github.com/org/repo@0123456789abcdef0123456789abcdef01234567", False),
        ("git+https://github.com/org/repo@0123456789abcdef0123456789abcdef01234567#egg=repo", False),
    ],
)
def test_vcs_installs(spec: str, flagged: bool) -> None:
    findings = run(PipPackageNotPinned, f"FROM python:3.12\nRUN pip install --no-cache-dir '{spec}'\n")
    assert bool(findings) == flagged
