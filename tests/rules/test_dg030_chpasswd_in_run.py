"""Tests for DG030 chpasswd-in-run (dg030_chpasswd_in_run)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg030_chpasswd_in_run import ChpasswdInRun

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("pipe", "FROM debian:bookworm-slim\nRUN echo 'root:x' | chpasswd\n", [2]),
    ("passwd-stdin", "FROM rockylinux:9\nRUN echo x | passwd --stdin root\n", [2]),
]

DOES_NOT_CATCH = [
    ("useradd", "FROM debian:bookworm-slim\nRUN useradd app\n"),
    ("passwd-lock", "FROM debian:bookworm-slim\nRUN passwd -l root\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(ChpasswdInRun, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG030" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(ChpasswdInRun, text, options=OPTIONS) == []
