"""Tests for DG022 shell-replaced-by-symlink (dg022_shell_replaced_by_symlink)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg022_shell_replaced_by_symlink import ShellReplacedBySymlink

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("ln-sf", "FROM debian:bookworm-slim\nRUN ln -sf /bin/bash /bin/sh\n", [2]),
    ("ln-s-separate", "FROM debian:bookworm-slim\nRUN ln -s -f /bin/bash /bin/sh\n", [2]),
]

DOES_NOT_CATCH = [
    ("other-link", "FROM debian:bookworm-slim\nRUN ln -s /usr/bin/python3 /usr/bin/python\n"),
    ("hard-link", "FROM debian:bookworm-slim\nRUN ln /bin/bash /bin/sh\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(ShellReplacedBySymlink, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG022" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(ShellReplacedBySymlink, text, options=OPTIONS) == []
