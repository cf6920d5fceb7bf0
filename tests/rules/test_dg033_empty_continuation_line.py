"""Tests for DG033 empty-continuation-line (dg033_empty_continuation_line)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg033_empty_continuation_line import EmptyContinuationLine

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("empty", "FROM debian:bookworm-slim\nRUN a && \\\n\n    b\n", [3]),
]

DOES_NOT_CATCH = [
    ("no-empty", "FROM debian:bookworm-slim\nRUN a && \\\n    b\n"),
    ("comment-line", "FROM debian:bookworm-slim\nRUN a && \\\n# c\n    b\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(EmptyContinuationLine, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG033" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(EmptyContinuationLine, text, options=OPTIONS) == []
