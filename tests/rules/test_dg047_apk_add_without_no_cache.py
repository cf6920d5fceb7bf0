"""Tests for DG047 apk-add-without-no-cache (dg047_apk_add_without_no_cache)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg047_apk_add_without_no_cache import ApkAddWithoutNoCache

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("missing", "FROM alpine:3.20\nRUN apk add curl\n", [2]),
]

DOES_NOT_CATCH = [
    ("no-cache", "FROM alpine:3.20\nRUN apk add --no-cache curl\n"),
    ("rm-cache", "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\n"),
    ("cache-mount", "FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache apk add curl\n"),
    ("builder", "FROM alpine:3.20 AS b\nRUN apk add gcc\nFROM alpine:3.20\nCOPY --from=b /x /x\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(ApkAddWithoutNoCache, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG047" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(ApkAddWithoutNoCache, text, options=OPTIONS) == []


FIXES = [
    (
        "insert",
        "FROM alpine:3.20\nRUN apk update && apk add -U curl\n",
        "FROM alpine:3.20\nRUN apk update && apk add --no-cache -U curl\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(ApkAddWithoutNoCache, before, options=OPTIONS) == after
