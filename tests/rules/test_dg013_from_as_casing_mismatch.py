"""Tests for DG013 from-as-casing-mismatch (dg013_from_as_casing_mismatch)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg013_from_as_casing_mismatch import FromAsCasingMismatch

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("upper-from-lower-as", "FROM a:1 as b\n", [1]),
    ("lower-from-upper-as", "from a:1 AS b\n", [1]),
]

DOES_NOT_CATCH = [
    ("both-upper", "FROM a:1 AS b\n"),
    ("both-lower", "from a:1 as b\n"),
    ("mixed-from", "From a:1 as b\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(FromAsCasingMismatch, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG013" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(FromAsCasingMismatch, text, options=OPTIONS) == []


FIXES = [
    ("to-lower", "from a:1 AS b\n", "from a:1 as b\n"),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(FromAsCasingMismatch, before, options=OPTIONS) == after
