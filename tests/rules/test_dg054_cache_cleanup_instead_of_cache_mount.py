"""Tests for DG054 cache-cleanup-instead-of-cache-mount (dg054_cache_cleanup_instead_of_cache_mount)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg054_cache_cleanup_instead_of_cache_mount import CacheCleanupInsteadOfCacheMount

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("pip", "FROM python:3.12-slim\nRUN pip install --no-cache-dir x\n", [2]),
    (
        "apt",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
        [2],
    ),
    ("apk", "FROM alpine:3.20\nRUN apk add --no-cache x\n", [2]),
]

DOES_NOT_CATCH = [
    ("mount", "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n"),
    ("no-cleanup", "FROM python:3.12-slim\nRUN echo\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(CacheCleanupInsteadOfCacheMount, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG054" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(CacheCleanupInsteadOfCacheMount, text, options=OPTIONS) == []
