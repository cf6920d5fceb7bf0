"""Tests for DG026 wget-and-curl-both-used (dg026_wget_and_curl_both_used)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg026_wget_and_curl_both_used import WgetAndCurlBothUsed

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("both", "FROM debian:bookworm-slim\nRUN wget -q https://a\nRUN curl -fsSLO https://b\n", [3]),
    (
        "from-parent-stage",
        "FROM debian:bookworm-slim AS base\nRUN curl -fsSLO https://a\nFROM base\nRUN wget -q https://b\n",
        [4],
    ),
    (
        "from-grandparent-stage",
        "FROM debian:bookworm-slim AS a\nRUN wget -q https://a\nFROM a AS b\nRUN true\nFROM b\nRUN curl -O https://b\n",
        [6],
    ),
]

DOES_NOT_CATCH = [
    ("one-tool", "FROM debian:bookworm-slim\nRUN curl -fsSLO https://a\nRUN curl -fsSLO https://b\n"),
    (
        "different-stages",
        "FROM debian:bookworm-slim\nRUN wget -q https://a\nFROM debian:bookworm-slim\nRUN curl -O https://b\n",
    ),
    ("install-only", "FROM debian:bookworm-slim\nRUN apt-get install -y wget curl\n"),
    (
        "sibling-stages-of-one-base",
        "FROM debian:bookworm-slim AS base\nFROM base AS a\nRUN wget -q https://a\nFROM base\nRUN curl -O https://b\n",
    ),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(WgetAndCurlBothUsed, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG026" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(WgetAndCurlBothUsed, text, options=OPTIONS) == []
