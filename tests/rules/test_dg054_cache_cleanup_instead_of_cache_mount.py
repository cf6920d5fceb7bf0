"""Tests for DG054 cache-cleanup-instead-of-cache-mount (dg054_cache_cleanup_instead_of_cache_mount)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
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


FIXES = [
    (
        "apt-lists-and-clean",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y jq && apt-get clean && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:bookworm\n"
        "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n"
        "    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n"
        "    rm -f /etc/apt/apt.conf.d/docker-clean \\\n"
        "    && echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache \\\n"
        "    && apt-get update \\\n"
        "    && apt-get install -y jq\n",
    ),
    (
        "pip-no-cache-dir",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
    ),
    (
        "npm-cache-clean",
        "FROM node:20-slim\nRUN npm ci && npm cache clean --force\n",
        "FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(CacheCleanupInsteadOfCacheMount, before, unsafe=True) == after
    # opt-in and unsafe: never applied by plain --fix
    assert fixed(CacheCleanupInsteadOfCacheMount, before, unsafe=False) == before


def test_apt_fix_keeps_extended_states_in_the_image() -> None:
    text = (
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*\n"
    )
    after = fixed(CacheCleanupInsteadOfCacheMount, text, unsafe=True)
    assert "target=/var/lib/apt/lists," in after
    assert "target=/var/lib/apt," not in after and "target=/var/lib/apt " not in after


def test_no_fix_for_other_managers() -> None:
    (finding,) = run(CacheCleanupInsteadOfCacheMount, "FROM alpine:3.20\nRUN apk add --no-cache curl\n")
    assert finding.fix is None
