"""Tests for DG052 npm-cache-not-cleaned (dg052_npm_cache_not_cleaned)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg052_npm_cache_not_cleaned import NpmCacheNotCleaned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("ci", "FROM node:20-slim\nRUN npm ci\n", [2]),
    ("install", "FROM node:20-slim\nRUN npm install -g pnpm@9.6.0\n", [2]),
]

DOES_NOT_CATCH = [
    ("cleaned", "FROM node:20-slim\nRUN npm ci && npm cache clean --force\n"),
    ("mount", "FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\n"),
    ("rm", "FROM node:20-slim\nRUN npm ci && rm -rf /root/.npm\n"),
    ("builder", "FROM node:20 AS b\nRUN npm ci\nFROM node:20-slim\nCOPY --from=b /x /x\n"),
    (
        "env-cache-mount",
        "FROM node:20-slim\nENV npm_config_cache=/npmcache\nRUN --mount=type=cache,target=/npmcache npm ci\n",
    ),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(NpmCacheNotCleaned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG052" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(NpmCacheNotCleaned, text, options=OPTIONS) == []


FIXES = [
    (
        "append",
        "FROM node:20-slim\nRUN npm ci && npm run build\n",
        "FROM node:20-slim\nRUN npm ci && npm cache clean --force && npm run build\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(NpmCacheNotCleaned, before, options=OPTIONS) == after
