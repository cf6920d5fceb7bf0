"""Tests for DG006 from-platform-target-platform (dg006_from_platform_target_platform)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg006_from_platform_target_platform import FromPlatformTargetPlatform

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("target", "FROM --platform=$TARGETPLATFORM alpine:3.20\n", [1]),
    ("braces", "FROM --platform=${TARGETPLATFORM} alpine:3.20 AS a\n", [1]),
]

DOES_NOT_CATCH = [
    ("build", "FROM --platform=$BUILDPLATFORM alpine:3.20\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(FromPlatformTargetPlatform, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG006" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(FromPlatformTargetPlatform, text, options=OPTIONS) == []


FIXES = [
    ("remove-flag", "FROM --platform=${TARGETPLATFORM} alpine:3.20 AS a\n", "FROM alpine:3.20 AS a\n"),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(FromPlatformTargetPlatform, before, options=OPTIONS) == after
