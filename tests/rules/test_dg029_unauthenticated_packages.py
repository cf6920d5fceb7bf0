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
    ("echo-gpgcheck-repo", "FROM rockylinux:9\nRUN echo 'gpgcheck=0' >> /etc/yum.repos.d/x.repo\n", [2]),
    (
        "printf-tee-repo",
        "FROM rockylinux:9\nRUN printf '[x]\\nbaseurl=https://x\\ngpgcheck=0\\n' | tee /etc/yum.repos.d/x.repo\n",
        [2],
    ),
    ("repo-gpgcheck", "FROM rockylinux:9\nRUN echo repo_gpgcheck=0 > /etc/yum.repos.d/x.repo\n", [2]),
    (
        "heredoc-repo",
        "FROM rockylinux:9\nRUN cat > /etc/yum.repos.d/x.repo <<EOF\n[x]\ngpgcheck = 0\nEOF\n",
        [2],
    ),
    (
        "copy-heredoc-repo",
        "FROM rockylinux:9\nCOPY <<EOF /etc/yum.repos.d/x.repo\n[x]\ngpgcheck=0\nEOF\n",
        [2],
    ),
    (
        "sed-gpgcheck",
        "FROM rockylinux:9\nRUN sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/x.repo\n",
        [2],
    ),
    (
        "apt-trusted-yes",
        "FROM debian:bookworm-slim\nRUN echo 'deb [trusted=yes] http://x/ ./' > /etc/apt/sources.list.d/x.list\n",
        [2],
    ),
    (
        "apt-trusted-yes-with-arch",
        "FROM debian:bookworm-slim\nRUN echo 'deb [arch=amd64 trusted=yes] http://x/ ./' | tee /etc/apt/sources.list\n",
        [2],
    ),
    (
        "add-apt-repository-trusted",
        "FROM ubuntu:24.04\nRUN add-apt-repository -y 'deb [trusted=yes] http://x/ ./'\n",
        [2],
    ),
    (
        "deb822-trusted",
        "FROM debian:bookworm-slim\nCOPY <<EOF /etc/apt/sources.list.d/x.sources\nTypes: deb\nTrusted: yes\nEOF\n",
        [2],
    ),
]

DOES_NOT_CATCH = [
    ("signed", "FROM debian:bookworm-slim\nRUN apt-get install -y x\n"),
    ("gpgcheck-1", "FROM rockylinux:9\nRUN yum install -y --setopt=gpgcheck=1 x\n"),
    ("gpgcheck-1-repo", "FROM rockylinux:9\nRUN echo gpgcheck=1 >> /etc/yum.repos.d/x.repo\n"),
    ("gpgcheck-0-not-a-repo", "FROM rockylinux:9\nRUN echo gpgcheck=0 > /tmp/notes.txt\n"),
    (
        "apt-signed-by",
        "FROM debian:bookworm-slim\nRUN echo 'deb [signed-by=/k.gpg] http://x/ ./' > /etc/apt/sources.list.d/x.list\n",
    ),
    ("trusted-yes-to-stdout", "FROM debian:bookworm-slim\nRUN echo 'deb [trusted=yes] http://x/ ./'\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(UnauthenticatedPackages, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG029" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(UnauthenticatedPackages, text, options=OPTIONS) == []
