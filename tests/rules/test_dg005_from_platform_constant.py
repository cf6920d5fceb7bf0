"""Tests for DG005 from-platform-constant (dg005_from_platform_constant)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg005_from_platform_constant import FromPlatformConstant

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("constant", "FROM --platform=linux/amd64 alpine:3.20\n", [1]),
]

DOES_NOT_CATCH = [
    ("build-platform", "FROM --platform=$BUILDPLATFORM alpine:3.20\n"),
    ("no-flag", "FROM alpine:3.20\n"),
    ("named-for-arch", "FROM --platform=linux/arm64 alpine:3.20 AS tools-arm64\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(FromPlatformConstant, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG005" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(FromPlatformConstant, text, options=OPTIONS) == []
