"""Tests for DG007 from-undefined-arg (dg007_from_undefined_arg)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg007_from_undefined_arg import FromUndefinedArg

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("typo", "ARG VERSION=1\nFROM python:${VERSON}\n", [2]),
    ("stage-arg", "FROM a:1\nARG B=x\nFROM $B\n", [3]),
    ("platform-flag", "FROM --platform=$PLATFORM alpine:3\n", [1]),
]

DOES_NOT_CATCH = [
    ("declared", "ARG V=1\nFROM python:$V\n"),
    ("automatic", "FROM --platform=$BUILDPLATFORM golang:1.22\n"),
    ("no-vars", "FROM python:3\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(FromUndefinedArg, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG007" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(FromUndefinedArg, text, options=OPTIONS) == []
