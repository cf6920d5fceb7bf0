"""Tests for DG029 unauthenticated-packages (dg029_unauthenticated_packages)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg029_unauthenticated_packages import UnauthenticatedPackages

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("apk", "FROM alpine:3.20\nRUN apk add --allow-untrusted x.apk\n", [2]),
    ("apt", "FROM debian:bookworm-slim\nRUN apt-get install -y --allow-unauthenticated x\n", [2]),
    ("force-yes", "FROM debian:bookworm-slim\nRUN apt-get install --force-yes x\n", [2]),
    (
        "apt-o",
        "FROM debian:bookworm-slim\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install -y x\n",
        [2],
    ),
    ("dnf", "FROM rockylinux:9\nRUN dnf install -y --nogpgcheck x\n", [2]),
    ("setopt", "FROM rockylinux:9\nRUN yum install -y --setopt=gpgcheck=0 x\n", [2]),
    ("rpm", "FROM rockylinux:9\nRUN rpm -i --nosignature x.rpm\n", [2]),
]

DOES_NOT_CATCH = [
    ("signed", "FROM debian:bookworm-slim\nRUN apt-get install -y x\n"),
    ("gpgcheck-1", "FROM rockylinux:9\nRUN yum install -y --setopt=gpgcheck=1 x\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(text, UnauthenticatedPackages, OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG029" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(text, UnauthenticatedPackages, OPTIONS) == []
