"""Tests for DG034 apt-instead-of-apt-get (dg034_apt_instead_of_apt_get)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg034_apt_instead_of_apt_get import AptInsteadOfAptGet

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("install", "FROM debian:bookworm-slim\nRUN apt install -y x\n", [2]),
    ("list", "FROM debian:bookworm-slim\nRUN apt list --installed\n", [2]),
]

DOES_NOT_CATCH = [
    ("apt-get", "FROM debian:bookworm-slim\nRUN apt-get install -y x\n"),
    ("apt-key", "FROM debian:bookworm-slim\nRUN apt-key add k\n"),
    ("apt-bare", "FROM debian:bookworm-slim\nRUN echo apt\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(AptInsteadOfAptGet, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG034" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(AptInsteadOfAptGet, text, options=OPTIONS) == []


FIXES = [
    (
        "update-install",
        "FROM debian:bookworm-slim\nRUN apt update && apt install -y x\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\n",
    ),
    (
        "full-upgrade",
        "FROM debian:bookworm-slim\nRUN apt full-upgrade -y\n",
        "FROM debian:bookworm-slim\nRUN apt-get dist-upgrade -y\n",
    ),
    (
        "upgrade-no-fix",
        "FROM debian:bookworm-slim\nRUN apt upgrade -y\n",
        "FROM debian:bookworm-slim\nRUN apt upgrade -y\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(AptInsteadOfAptGet, before, options=OPTIONS) == after
