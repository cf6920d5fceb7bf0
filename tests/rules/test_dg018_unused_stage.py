"""Tests for DG018 unused-stage (dg018_unused_stage)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg018_unused_stage import UnusedStage

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("unnamed-with-cmd", 'FROM alpine:3\nCMD ["sh"]\nFROM alpine:3\nCOPY x /x\n', [1]),
    ("name-containing-test-word", "FROM alpine:3 AS contest\nRUN echo\nFROM alpine:3\n", [1]),
    (
        "unused",
        "FROM alpine:3 AS unused\nRUN echo\nFROM alpine:3 AS used\nFROM alpine:3\nCOPY --from=used /x /x\n",
        [1],
    ),
]

DOES_NOT_CATCH = [
    ("copy-from", "FROM alpine:3 AS a\nFROM alpine:3\nCOPY --from=a /x /x\n"),
    ("from-stage", "FROM alpine:3 AS a\nFROM a\n"),
    ("mount-from", "FROM alpine:3 AS a\nFROM alpine:3\nRUN --mount=from=a,target=/a cp /a/x /x\n"),
    (
        "transitive",
        "FROM alpine:3 AS a\nFROM alpine:3 AS b\nCOPY --from=a /x /x\nFROM alpine:3\nCOPY --from=b /x /x\n",
    ),
    ("variable-ref", "FROM alpine:3 AS a\nFROM alpine:3\nCOPY --from=${SRC} /x /x\n"),
    ("single", "FROM alpine:3\n"),
    ("target-name-test", "FROM python:3.12 AS test\nRUN pytest\nFROM python:3.12\nCOPY . /app\n"),
    ("target-name-dev-suffix", "FROM node:20 AS api-dev\nRUN npm ci\nFROM node:20\nCOPY . /app\n"),
    (
        "runnable-stage",
        'FROM alpine:3 AS shell\nCMD ["sh"]\nFROM alpine:3\nCOPY x /x\n',
    ),
    (
        "what-a-target-uses",
        "FROM alpine:3 AS deps\nRUN echo\nFROM deps AS test\nRUN echo\nFROM alpine:3\n",
    ),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(UnusedStage, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG018" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(UnusedStage, text, options=OPTIONS) == []
