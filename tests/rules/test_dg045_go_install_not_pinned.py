"""Tests for DG045 go-install-not-pinned (dg045_go_install_not_pinned)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg045_go_install_not_pinned import GoInstallNotPinned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("no-version", "FROM golang:1.22\nRUN go install golang.org/x/tools/gopls\n", [2]),
    ("latest", "FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n", [2]),
]

DOES_NOT_CATCH = [
    ("pinned", "FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.16.1\n"),
    ("local", "FROM golang:1.22\nRUN go install ./...\n"),
    ("build", "FROM golang:1.22\nRUN go build ./...\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(GoInstallNotPinned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG045" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(GoInstallNotPinned, text, options=OPTIONS) == []
