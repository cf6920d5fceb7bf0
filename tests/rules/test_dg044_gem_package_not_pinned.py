"""Tests for DG044 gem-package-not-pinned (dg044_gem_package_not_pinned)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg044_gem_package_not_pinned import GemPackageNotPinned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("unpinned", "FROM ruby:3.3\nRUN gem install bundler\n", [2]),
]

DOES_NOT_CATCH = [
    ("v", "FROM ruby:3.3\nRUN gem install bundler -v 2.5.16\n"),
    ("colon", "FROM ruby:3.3\nRUN gem install bundler:2.5.16\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(GemPackageNotPinned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG044" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(GemPackageNotPinned, text, options=OPTIONS) == []
