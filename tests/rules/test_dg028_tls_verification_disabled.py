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
    (
        "uv-allow-insecure-host",
        "FROM python:3.12-slim\nRUN uv pip install --allow-insecure-host pypi.org x\n",
        [2],
    ),
    ("uv-allow-insecure-host-eq", "FROM python:3.12-slim\nRUN uv sync --allow-insecure-host=pypi.org\n", [2]),
    ("env-uv-insecure-host", "FROM python:3.12-slim\nENV UV_INSECURE_HOST=pypi.org\n", [2]),
    ("export-node", "FROM node:20-slim\nRUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci\n", [2]),
    (
        "export-in-heredoc",
        "FROM node:20-slim\nRUN <<EOF\nexport NODE_TLS_REJECT_UNAUTHORIZED=0\nnpm ci\nEOF\n",
        [2],
    ),
    (
        "printf-repo-file",
        "FROM rockylinux:9\nRUN printf '[x]\\nbaseurl=https://x\\nsslverify=0\\n' > /etc/yum.repos.d/x.repo\n",
        [2],
    ),
    (
        "echo-tee-repo-file",
        "FROM rockylinux:9\nRUN echo 'sslverify=0' | tee -a /etc/yum.repos.d/x.repo\n",
        [2],
    ),
    (
        "echo-append-repo-file",
        "FROM rockylinux:9\nRUN echo sslverify=false >> /etc/yum.repos.d/x.repo\n",
        [2],
    ),
    (
        "cat-heredoc-repo-file",
        "FROM rockylinux:9\nRUN cat <<EOF > /etc/yum.repos.d/x.repo\n[x]\nsslverify=0\nEOF\n",
        [2],
    ),
    (
        "copy-heredoc-repo-file",
        "FROM rockylinux:9\nCOPY <<EOF /etc/yum.repos.d/x.repo\n[x]\nsslverify=0\nEOF\n",
        [2],
    ),
    (
        "apt-conf-file",
        "FROM debian:bookworm-slim\nRUN echo 'Acquire::https::Verify-Peer \"false\";' > /etc/apt/apt.conf.d/99x\n",
        [2],
    ),
    (
        "pip-conf-file",
        "FROM python:3.12-slim\nRUN printf '[global]\\ntrusted-host = x\\n' > /etc/pip.conf\n",
        [2],
    ),
    ("npmrc-file", "FROM node:20-slim\nRUN echo strict-ssl=false >> /root/.npmrc\n", [2]),
    ("env-requests-ca-bundle-empty", 'FROM python:3.12-slim\nENV REQUESTS_CA_BUNDLE=""\n', [2]),
    ("env-curl-ca-bundle-empty", 'FROM python:3.12-slim\nENV CURL_CA_BUNDLE=""\n', [2]),
    ("arg-curl-ca-bundle-empty-default", "FROM python:3.12-slim\nARG CURL_CA_BUNDLE=\n", [2]),
    ("run-curl-ca-bundle-empty", "FROM python:3.12-slim\nRUN CURL_CA_BUNDLE= python fetch.py\n", [2]),
    ("env-second-pair-false", "FROM python:3.12-slim\nENV A=1 PYTHONHTTPSVERIFY=false\n", [2]),
    ("env-second-pair-zero", "FROM python:3.12-slim\nENV A=1 PYTHONHTTPSVERIFY=0\n", [2]),
    (
        "env-third-pair-multiline",
        "FROM node:20-slim\nENV A=1 \\\n    B=2 \\\n    NODE_TLS_REJECT_UNAUTHORIZED=0\n",
        [2],
    ),
]

DOES_NOT_CATCH = [
    ("curl-fine", "FROM debian:bookworm-slim\nRUN curl -fsSL https://x\n"),
    ("curl-o-value", "FROM debian:bookworm-slim\nRUN curl -o k https://x\n"),
    ("node-1", "FROM node:20-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n"),
    ("python-1", "FROM debian:bookworm-slim\nENV PYTHONHTTPSVERIFY=1\n"),
    ("npm-strict-true", "FROM node:20-slim\nRUN npm config set strict-ssl true\n"),
    ("git-true", "FROM debian:bookworm-slim\nRUN git config --global http.sslVerify true\n"),
    ("uv-fine", "FROM python:3.12-slim\nRUN uv pip install --system x\n"),
    ("export-other", "FROM node:20-slim\nRUN export NODE_ENV=production && npm ci\n"),
    ("echo-to-stdout", "FROM rockylinux:9\nRUN echo sslverify=0\n"),
    ("sslverify-1-in-repo", "FROM rockylinux:9\nRUN echo sslverify=1 >> /etc/yum.repos.d/x.repo\n"),
    ("sslverify-0-elsewhere", "FROM rockylinux:9\nRUN echo sslverify=0 > /tmp/notes.txt\n"),
    (
        "requests-ca-bundle-set",
        "FROM python:3.12-slim\nENV REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt\n",
    ),
    ("arg-ca-bundle-without-default", "FROM python:3.12-slim\nARG REQUESTS_CA_BUNDLE\n"),
    ("second-pair-true", "FROM python:3.12-slim\nENV A=0 PYTHONHTTPSVERIFY=1\n"),
    ("copy-heredoc-elsewhere", "FROM rockylinux:9\nCOPY <<EOF /app/notes.txt\nsslverify=0\nEOF\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(TlsVerificationDisabled, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG028" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(TlsVerificationDisabled, text, options=OPTIONS) == []
