"""Tests for DG028 tls-verification-disabled (dg028_tls_verification_disabled)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg028_tls_verification_disabled import TlsVerificationDisabled

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("curl-k", "FROM debian:bookworm-slim\nRUN curl -k https://x\n", [2]),
    ("curl-cluster", "FROM debian:bookworm-slim\nRUN curl -fsSLk https://x\n", [2]),
    ("curl-insecure", "FROM debian:bookworm-slim\nRUN curl --insecure https://x\n", [2]),
    ("wget", "FROM debian:bookworm-slim\nRUN wget --no-check-certificate https://x\n", [2]),
    ("pip-trusted", "FROM python:3.12-slim\nRUN pip install --trusted-host pypi.org x\n", [2]),
    ("env-node", "FROM node:20-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n", [2]),
    ("env-git", "FROM debian:bookworm-slim\nENV GIT_SSL_NO_VERIFY=1\n", [2]),
    ("arg-python", "FROM debian:bookworm-slim\nARG PYTHONHTTPSVERIFY=0\n", [2]),
    ("npm-strict", "FROM node:20-slim\nRUN npm config set strict-ssl false\n", [2]),
    ("git-c", "FROM debian:bookworm-slim\nRUN git -c http.sslVerify=false clone https://x\n", [2]),
    ("git-config", "FROM debian:bookworm-slim\nRUN git config --global http.sslverify false\n", [2]),
    ("yum-setopt", "FROM rockylinux:9\nRUN yum --setopt=sslverify=0 install -y x\n", [2]),
    ("assignment", "FROM debian:bookworm-slim\nRUN GIT_SSL_NO_VERIFY=true git clone https://x\n", [2]),
]

DOES_NOT_CATCH = [
    ("curl-fine", "FROM debian:bookworm-slim\nRUN curl -fsSL https://x\n"),
    ("curl-o-value", "FROM debian:bookworm-slim\nRUN curl -o k https://x\n"),
    ("node-1", "FROM node:20-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n"),
    ("python-1", "FROM debian:bookworm-slim\nENV PYTHONHTTPSVERIFY=1\n"),
    ("npm-strict-true", "FROM node:20-slim\nRUN npm config set strict-ssl true\n"),
    ("git-true", "FROM debian:bookworm-slim\nRUN git config --global http.sslVerify true\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(text, TlsVerificationDisabled, OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG028" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(text, TlsVerificationDisabled, OPTIONS) == []
