"""Tests for DG031 useradd-without-no-log-init (dg031_useradd_without_no_log_init)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg031_useradd_without_no_log_init import UseraddWithoutNoLogInit

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("high-uid", "FROM debian:bookworm-slim\nRUN useradd -u 123456 app\n", [2]),
    ("long-form", "FROM debian:bookworm-slim\nRUN useradd --uid=1000000 app\n", [2]),
]

DOES_NOT_CATCH = [
    ("low-uid", "FROM debian:bookworm-slim\nRUN useradd -u 10001 app\n"),
    ("with-l", "FROM debian:bookworm-slim\nRUN useradd -l -u 123456 app\n"),
    ("no-log-init", "FROM debian:bookworm-slim\nRUN useradd --no-log-init -u 123456 app\n"),
    ("cluster", "FROM debian:bookworm-slim\nRUN useradd -lm -u 123456 app\n"),
    ("no-uid", "FROM debian:bookworm-slim\nRUN useradd app\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(UseraddWithoutNoLogInit, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG031" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(UseraddWithoutNoLogInit, text, options=OPTIONS) == []


FIXES = [
    (
        "add-l",
        "FROM debian:bookworm-slim\nRUN groupadd g && useradd -u 123456 -g g app\n",
        "FROM debian:bookworm-slim\nRUN groupadd g && useradd -l -u 123456 -g g app\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(UseraddWithoutNoLogInit, before, options=OPTIONS) == after
