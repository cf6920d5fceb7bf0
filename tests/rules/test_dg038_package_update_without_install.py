"""Tests for DG038 package-update-without-install (dg038_package_update_without_install)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg038_package_update_without_install import PackageUpdateWithoutInstall

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("alone", "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y x\n", [2]),
    ("apk", "FROM alpine:3.20\nRUN apk update\n", [2]),
]

DOES_NOT_CATCH = [
    ("together", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\n"),
    ("upgrade", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get upgrade -y\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(PackageUpdateWithoutInstall, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG038" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(PackageUpdateWithoutInstall, text, options=OPTIONS) == []


FIXES = [
    (
        "merge",
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y x\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\n",
    ),
    (
        "no-merge-when-not-next",
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN echo\n",
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN echo\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(PackageUpdateWithoutInstall, before, options=OPTIONS) == after
