"""Tests for DG011 reserved-stage-name (dg011_reserved_stage_name)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg011_reserved_stage_name import ReservedStageName

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("scratch", "FROM alpine:3 AS scratch\n", [1]),
    ("context-upper", "FROM alpine:3 AS Context\n", [1]),
]

DOES_NOT_CATCH = [
    ("normal", "FROM alpine:3 AS base\n"),
    ("from-scratch", "FROM scratch\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(ReservedStageName, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG011" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(ReservedStageName, text, options=OPTIONS) == []
