"""Tests for DG001 base-image-without-tag (dg001_base_image_without_tag)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg001_base_image_without_tag import BaseImageWithoutTag

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("no-tag", "FROM python\n", [1]),
    ("registry-port-no-tag", "FROM registry:5000/team/app\n", [1]),
    ("arg-default-no-tag", "ARG BASE=python\nFROM $BASE\n", [2]),
    ("second-stage", "FROM python:3 AS a\nFROM ubuntu\n", [2]),
]

DOES_NOT_CATCH = [
    ("tagged", "FROM python:3.12\n"),
    ("digest", "FROM python@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"),
    ("scratch", "FROM scratch\n"),
    ("earlier-stage", "FROM python:3.12 AS base\nFROM base\n"),
    ("arg-without-default", "ARG BASE\nFROM $BASE\n"),
    ("registry-port-tagged", "FROM localhost:5000/app:1.0\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(BaseImageWithoutTag, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG001" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(BaseImageWithoutTag, text, options=OPTIONS) == []
