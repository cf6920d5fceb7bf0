"""Tests for DG053 yarn-cache-not-cleaned (dg053_yarn_cache_not_cleaned)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg053_yarn_cache_not_cleaned import YarnCacheNotCleaned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("install", "FROM node:20-slim\nRUN yarn install --frozen-lockfile\n", [2]),
    ("bare", "FROM node:20-slim\nRUN yarn\n", [2]),
    ("add", "FROM node:20-slim\nRUN yarn add left-pad@1.3.0\n", [2]),
]

DOES_NOT_CATCH = [
    ("cleaned", "FROM node:20-slim\nRUN yarn install && yarn cache clean\n"),
    ("mount", "FROM node:20-slim\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n"),
    ("build", "FROM node:20-slim\nRUN yarn build\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(YarnCacheNotCleaned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG053" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(YarnCacheNotCleaned, text, options=OPTIONS) == []


FIXES = [
    ("append", "FROM node:20-slim\nRUN yarn\n", "FROM node:20-slim\nRUN yarn && yarn cache clean\n"),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(YarnCacheNotCleaned, before, options=OPTIONS) == after


def test_yarn_version_installs_nothing() -> None:
    assert (
        run(
            YarnCacheNotCleaned,
            "FROM node:20\nRUN ln -s /opt/yarn/bin/yarn /usr/local/bin/yarn && yarn --version\n",
        )
        == []
    )
