"""Tests for DG036 apt-get-install-without-no-install-recommends (dg036_apt_get_install_without_no_install_recommends)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg036_apt_get_install_without_no_install_recommends import (
    AptGetInstallWithoutNoInstallRecommends,
)

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("missing", "FROM debian:bookworm-slim\nRUN apt-get install -y curl\n", [2]),
]

DOES_NOT_CATCH = [
    ("present", "FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends curl\n"),
    ("o-option", "FROM debian:bookworm-slim\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n"),
    (
        "config-file",
        "FROM debian:bookworm-slim\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/norec\nRUN apt-get install -y curl\n",
    ),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(AptGetInstallWithoutNoInstallRecommends, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG036" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(AptGetInstallWithoutNoInstallRecommends, text, options=OPTIONS) == []


FIXES = [
    (
        "after-y",
        "FROM debian:bookworm-slim\nRUN apt-get install -y curl\n",
        "FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends curl\n",
    ),
    (
        "after-install",
        "FROM debian:bookworm-slim\nRUN apt-get install curl\n",
        "FROM debian:bookworm-slim\nRUN apt-get install --no-install-recommends curl\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(AptGetInstallWithoutNoInstallRecommends, before, options=OPTIONS) == after
