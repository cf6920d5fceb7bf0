"""Tests for DG040 apt-package-not-pinned (dg040_apt_package_not_pinned)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg040_apt_package_not_pinned import AptPackageNotPinned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("unpinned", "FROM debian:bookworm-slim\nRUN apt-get install -y curl\n", [2]),
]

DOES_NOT_CATCH = [
    ("pinned", "FROM debian:bookworm-slim\nRUN apt-get install -y curl=7.88.1-10\n"),
    ("deb-file", "FROM debian:bookworm-slim\nRUN apt-get install -y ./x.deb\n"),
    ("release", "FROM debian:bookworm-slim\nRUN apt-get install -y -t bookworm-backports curl=8.0\n"),
    ("variable", "FROM debian:bookworm-slim\nRUN apt-get install -y $PKGS\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(AptPackageNotPinned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG040" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(AptPackageNotPinned, text, options=OPTIONS) == []
