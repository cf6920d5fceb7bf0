"""Tests for DG020 cd-in-run (dg020_cd_in_run)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg020_cd_in_run import CdInRun

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("cd", "FROM node:20-slim\nRUN cd /app && npm ci\n", [2]),
    ("cd-in-heredoc", "FROM debian:bookworm-slim\nRUN <<EOF\ncd /x\nmake\nEOF\n", [2]),
]

DOES_NOT_CATCH = [
    ("subshell", "FROM debian:bookworm-slim\nRUN (cd /x && make)\n"),
    ("removed-temp", "FROM debian:bookworm-slim\nRUN mkdir /tmp/b && cd /tmp/b && make && rm -rf /tmp/b\n"),
    ("cd-dash", "FROM debian:bookworm-slim\nRUN cd - \n"),
    ("no-cd", "FROM debian:bookworm-slim\nRUN make -C /x\n"),
    ("echo-cd", "FROM debian:bookworm-slim\nRUN echo cd /x\n"),
    ("subshell-then-top-level-command", "FROM debian:bookworm-slim\nRUN (cd /x && make) && make -C /y\n"),
    ("group-in-subshell-with-pipe", "FROM debian:bookworm-slim\nRUN (cd /tmp && tar c .) | cat > /x.tar\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(CdInRun, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG020" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(CdInRun, text, options=OPTIONS) == []
