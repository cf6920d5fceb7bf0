"""Tests for DG015 copy-from-own-stage (dg015_copy_from_own_stage)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg015_copy_from_own_stage import CopyFromOwnStage

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("by-name", "FROM a:1 AS web\nCOPY --from=web /x /y\n", [2]),
    ("by-index", "FROM a:1\nFROM b:1\nCOPY --from=1 /x /y\n", [3]),
]

DOES_NOT_CATCH = [
    ("other-stage", "FROM a:1 AS web\nFROM b:1\nCOPY --from=web /x /y\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(CopyFromOwnStage, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG015" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(CopyFromOwnStage, text, options=OPTIONS) == []
