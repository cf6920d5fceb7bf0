"""Tests for DG023 sudo-in-run (dg023_sudo_in_run)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg023_sudo_in_run import SudoInRun

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("sudo", "FROM debian:bookworm-slim\nRUN sudo apt-get update\n", [2]),
    ("sudo-options", "FROM debian:bookworm-slim\nRUN sudo -u app -E make\n", [2]),
    ("onbuild", "FROM debian:bookworm-slim\nONBUILD RUN sudo make\n", [2]),
]

DOES_NOT_CATCH = [
    ("install-sudo", "FROM debian:bookworm-slim\nRUN apt-get install -y sudo\n"),
    ("echo", "FROM debian:bookworm-slim\nRUN echo sudo\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(SudoInRun, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG023" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(SudoInRun, text, options=OPTIONS) == []
