"""Tests for DG002 base-image-latest-tag (dg002_base_image_latest_tag)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg002_base_image_latest_tag import BaseImageLatestTag

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("latest", "FROM node:latest\n", [1]),
    ("arg-latest", "ARG TAG=latest\nFROM node:${TAG}\n", [2]),
]

DOES_NOT_CATCH = [
    ("versioned", "FROM node:20\n"),
    (
        "latest-with-digest",
        "FROM node:latest@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n",
    ),
    ("no-tag", "FROM node\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(BaseImageLatestTag, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG002" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(BaseImageLatestTag, text, options=OPTIONS) == []
