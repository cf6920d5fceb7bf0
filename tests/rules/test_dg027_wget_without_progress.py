"""Tests for DG027 wget-without-progress (dg027_wget_without_progress)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg027_wget_without_progress import WgetWithoutProgress

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("plain", "FROM debian:bookworm-slim\nRUN wget https://x/a.tgz\n", [2]),
    ("output-doc", "FROM debian:bookworm-slim\nRUN wget -O /tmp/a https://x\n", [2]),
]

DOES_NOT_CATCH = [
    ("quiet", "FROM debian:bookworm-slim\nRUN wget -q https://x\n"),
    ("cluster-q", "FROM debian:bookworm-slim\nRUN wget -qO- https://x\n"),
    ("nv", "FROM debian:bookworm-slim\nRUN wget -nv https://x\n"),
    ("progress", "FROM debian:bookworm-slim\nRUN wget --progress=dot:giga https://x\n"),
    ("log-file", "FROM debian:bookworm-slim\nRUN wget -o /dev/null https://x\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(WgetWithoutProgress, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG027" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(WgetWithoutProgress, text, options=OPTIONS) == []


FIXES = [
    (
        "insert",
        "FROM debian:bookworm-slim\nRUN wget -O /tmp/a https://x\n",
        "FROM debian:bookworm-slim\nRUN wget --progress=dot:giga -O /tmp/a https://x\n",
    ),
    ("no-fix-on-alpine", "FROM alpine:3.20\nRUN wget https://x\n", "FROM alpine:3.20\nRUN wget https://x\n"),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(WgetWithoutProgress, before, options=OPTIONS) == after
