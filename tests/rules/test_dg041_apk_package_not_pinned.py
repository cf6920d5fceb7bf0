"""Tests for DG041 apk-package-not-pinned (dg041_apk_package_not_pinned)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg041_apk_package_not_pinned import ApkPackageNotPinned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("unpinned", "FROM alpine:3.20\nRUN apk add --no-cache curl\n", [2]),
]

DOES_NOT_CATCH = [
    ("pinned", "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n"),
    ("tilde", "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9\n"),
    ("virtual", "FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps gcc=13.2.1-r0\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(ApkPackageNotPinned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG041" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(ApkPackageNotPinned, text, options=OPTIONS) == []
