"""Tests for DG037 apt-lists-not-removed (dg037_apt_lists_not_removed)."""

from __future__ import annotations

import pytest
from _helpers import fix, run
from dockgen_rules.dg037_apt_lists_not_removed import AptListsNotRemoved

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("no-rm", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\n", [2]),
]

DOES_NOT_CATCH = [
    (
        "rm",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "cache-mount",
        "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n",
    ),
    (
        "builder-stage",
        "FROM debian:bookworm-slim AS b\nRUN apt-get update && apt-get install -y x\nFROM debian:bookworm-slim\nCOPY --from=b /x /x\n",
    ),
    ("install-only", "FROM debian:bookworm-slim\nRUN apt-get install -y x\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(text, AptListsNotRemoved, OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG037" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(text, AptListsNotRemoved, OPTIONS) == []


FIXES = [
    (
        "append",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && echo done\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/* && echo done\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fix(before, AptListsNotRemoved, OPTIONS) == after
