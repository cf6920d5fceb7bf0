"""Tests for DG016 copy-whole-filesystem-from-stage (dg016_copy_whole_filesystem_from_stage)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg016_copy_whole_filesystem_from_stage import CopyWholeFilesystemFromStage

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("root", "FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n", [3]),
    ("root-dot", "FROM a:1 AS b\nFROM c:1\nCOPY --from=b /. /opt\n", [3]),
]

DOES_NOT_CATCH = [
    ("directory", "FROM a:1 AS b\nFROM c:1\nCOPY --from=b /install /usr/local\n"),
    ("context-root", "FROM c:1\nCOPY . /app\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(CopyWholeFilesystemFromStage, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG016" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(CopyWholeFilesystemFromStage, text, options=OPTIONS) == []
