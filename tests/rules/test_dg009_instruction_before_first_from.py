"""Tests for DG009 instruction-before-first-from (dg009_instruction_before_first_from)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg009_instruction_before_first_from import InstructionBeforeFirstFrom

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("env-first", "ENV A=1\nFROM alpine:3\n", [1]),
    ("no-from", "RUN echo hi\n", [1]),
]

DOES_NOT_CATCH = [
    ("arg-first", "ARG V=3\nFROM alpine:$V\n"),
    ("from-first", "FROM alpine:3\nENV A=1\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(InstructionBeforeFirstFrom, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG009" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(InstructionBeforeFirstFrom, text, options=OPTIONS) == []
