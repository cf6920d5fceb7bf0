"""Tests for DG008 from-invalid-default-arg (dg008_from_invalid_default_arg)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg008_from_invalid_default_arg import FromInvalidDefaultArg

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("no-default", "ARG VERSION\nFROM python:${VERSION}-slim\n", [2]),
    ("empty-image", "ARG IMAGE\nFROM $IMAGE\n", [2]),
    ("uppercase-default", "ARG IMAGE=Python\nFROM $IMAGE\n", [2]),
]

DOES_NOT_CATCH = [
    ("good-default", "ARG VERSION=3.12\nFROM python:${VERSION}-slim\n"),
    ("fallback", "ARG V\nFROM python:${V:-3.12}\n"),
    ("undeclared-left-to-dg007", "FROM python:${NOPE}\n"),
    ("platform", "FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETARCH}\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(FromInvalidDefaultArg, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG008" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(FromInvalidDefaultArg, text, options=OPTIONS) == []
