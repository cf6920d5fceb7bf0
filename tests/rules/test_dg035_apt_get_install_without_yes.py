"""Tests for DG035 apt-get-install-without-yes (dg035_apt_get_install_without_yes)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg035_apt_get_install_without_yes import AptGetInstallWithoutYes

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("missing", "FROM debian:bookworm-slim\nRUN apt-get install curl\n", [2]),
    ("q-is-not-y", "FROM debian:bookworm-slim\nRUN apt-get -q install curl\n", [2]),
    ("apt", "FROM debian:bookworm-slim\nRUN apt install curl\n", [2]),
]

DOES_NOT_CATCH = [
    ("y", "FROM debian:bookworm-slim\nRUN apt-get install -y curl\n"),
    ("qqy", "FROM debian:bookworm-slim\nRUN apt-get install -qqy curl\n"),
    ("yq", "FROM debian:bookworm-slim\nRUN apt-get -yq install curl\n"),
    ("assume-yes", "FROM debian:bookworm-slim\nRUN apt-get install --assume-yes curl\n"),
    ("yes", "FROM debian:bookworm-slim\nRUN apt-get install --yes curl\n"),
    ("qq", "FROM debian:bookworm-slim\nRUN apt-get -qq install curl\n"),
    ("o-assume-yes", "FROM debian:bookworm-slim\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n"),
    ("yes-pipe", "FROM debian:bookworm-slim\nRUN yes | apt-get install curl\n"),
    ("update-only", "FROM debian:bookworm-slim\nRUN apt-get update\n"),
    ("heredoc-y", "FROM debian:bookworm-slim\nRUN <<EOF\napt-get install -y curl\nEOF\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(AptGetInstallWithoutYes, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG035" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(AptGetInstallWithoutYes, text, options=OPTIONS) == []


FIXES = [
    (
        "insert",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install curl && apt-get -o X=1 install git\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && apt-get -o X=1 install -y git\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(AptGetInstallWithoutYes, before, options=OPTIONS) == after
