"""Tests for DG010 duplicate-stage-name (dg010_duplicate_stage_name)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg010_duplicate_stage_name import DuplicateStageName

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("same", "FROM a:1 AS build\nFROM b:1 AS build\n", [2]),
    ("case-insensitive", "FROM a:1 AS build\nFROM b:1 AS Build\n", [2]),
]

DOES_NOT_CATCH = [
    ("distinct", "FROM a:1 AS one\nFROM b:1 AS two\n"),
    ("unnamed", "FROM a:1\nFROM b:1\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(DuplicateStageName, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG010" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(DuplicateStageName, text, options=OPTIONS) == []
