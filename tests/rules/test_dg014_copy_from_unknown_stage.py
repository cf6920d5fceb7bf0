"""Tests for DG014 copy-from-unknown-stage (dg014_copy_from_unknown_stage)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg014_copy_from_unknown_stage import CopyFromUnknownStage

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("typo", "FROM a:1 AS build\nFROM b:1\nCOPY --from=biuld /x /x\n", [3]),
    ("defined-later", "FROM a:1\nCOPY --from=later /x /x\nFROM b:1 AS later\n", [2]),
    ("index-ahead", "FROM a:1\nCOPY --from=3 /x /x\n", [2]),
]

DOES_NOT_CATCH = [
    ("known", "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\n"),
    ("image-with-tag", "FROM a:1\nCOPY --from=nginx:1.27 /x /x\n"),
    ("image-with-registry", "FROM a:1\nCOPY --from=ghcr.io/acme/tools /x /x\n"),
    ("variable", "FROM a:1\nCOPY --from=$STAGE /x /x\n"),
    ("earlier-index", "FROM a:1\nFROM b:1\nCOPY --from=0 /x /x\n"),
    ("case-insensitive", "FROM a:1 AS Build\nFROM b:1\nCOPY --from=build /x /x\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(CopyFromUnknownStage, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG014" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(CopyFromUnknownStage, text, options=OPTIONS) == []
