"""Tests for DG003 base-image-without-digest (dg003_base_image_without_digest)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg003_base_image_without_digest import BaseImageWithoutDigest

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("tag-only", "FROM python:3.12\n", [1]),
    ("each-stage", "FROM a:1 AS x\nFROM b:2\n", [1, 2]),
]

DOES_NOT_CATCH = [
    ("digest", "FROM python:3.12@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n"),
    (
        "stage-ref",
        "FROM python@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc AS b\nFROM b\n",
    ),
    ("scratch", "FROM scratch\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(BaseImageWithoutDigest, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG003" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(BaseImageWithoutDigest, text, options=OPTIONS) == []
