"""Tests for DG019 consecutive-run-instructions (dg019_consecutive_run_instructions)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg019_consecutive_run_instructions import ConsecutiveRunInstructions

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("two", "FROM debian:bookworm-slim\nRUN a\nRUN b\n", [3]),
    ("three-one-finding", "FROM debian:bookworm-slim\nRUN a\nRUN b\nRUN c\n", [3]),
    (
        "same-mounts",
        "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/c a\nRUN --mount=type=cache,target=/c b\n",
        [3],
    ),
]

DOES_NOT_CATCH = [
    ("env-between", "FROM debian:bookworm-slim\nRUN a\nENV X=1\nRUN b\n"),
    ("different-mounts", "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/c a\nRUN b\n"),
    ("heredoc", "FROM debian:bookworm-slim\nRUN <<EOF\na\nEOF\nRUN b\n"),
    ("exec-form", 'FROM debian:bookworm-slim\nRUN ["a"]\nRUN b\n'),
    ("commented-step", "FROM debian:bookworm-slim\nRUN a\n# build the app\nRUN b\n"),
    ("other-stage", "FROM debian:bookworm-slim\nRUN a\nFROM alpine:3\nRUN b\n"),
    ("trailing-comment", "FROM debian:bookworm-slim\nRUN a # note\nRUN b\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(ConsecutiveRunInstructions, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG019" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(ConsecutiveRunInstructions, text, options=OPTIONS) == []


FIXES = [
    (
        "join",
        "FROM debian:bookworm-slim\nRUN a\nRUN b\nRUN c\n",
        "FROM debian:bookworm-slim\nRUN a && b && c\n",
    ),
    (
        "trailing-semicolon",
        "FROM debian:bookworm-slim\nRUN a;\nRUN b\n",
        "FROM debian:bookworm-slim\nRUN a && b\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(ConsecutiveRunInstructions, before, options=OPTIONS) == after
