"""Tests for DG012 stage-name-not-lowercase (dg012_stage_name_not_lowercase)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg012_stage_name_not_lowercase import StageNameNotLowercase

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("camel", "FROM golang:1.22 AS Builder\n", [1]),
]

DOES_NOT_CATCH = [
    ("lower", "FROM golang:1.22 AS builder\n"),
    ("unnamed", "FROM golang:1.22\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(StageNameNotLowercase, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG012" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(StageNameNotLowercase, text, options=OPTIONS) == []


FIXES = [
    ("lowercase", "FROM golang:1.22 AS BuildStage\n", "FROM golang:1.22 AS buildstage\n"),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(StageNameNotLowercase, before, options=OPTIONS) == after
