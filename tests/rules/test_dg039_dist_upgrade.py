"""Tests for DG039 dist-upgrade (dg039_dist_upgrade)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg039_dist_upgrade import DistUpgrade

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("dist-upgrade", "FROM debian:bookworm-slim\nRUN apt-get dist-upgrade -y\n", [2]),
    ("full-upgrade", "FROM debian:bookworm-slim\nRUN apt full-upgrade -y\n", [2]),
    ("zypper-dup", "FROM opensuse/leap:15\nRUN zypper -n dup\n", [2]),
]

DOES_NOT_CATCH = [
    ("upgrade", "FROM debian:bookworm-slim\nRUN apt-get upgrade -y\n"),
    ("install", "FROM debian:bookworm-slim\nRUN apt-get install -y x\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(DistUpgrade, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG039" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(DistUpgrade, text, options=OPTIONS) == []
