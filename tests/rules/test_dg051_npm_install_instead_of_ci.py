"""Tests for DG051 npm-install-instead-of-ci (dg051_npm_install_instead_of_ci)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg051_npm_install_instead_of_ci import NpmInstallInsteadOfCi

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("lock-copied", "FROM node:20-slim\nCOPY package.json package-lock.json ./\nRUN npm install\n", [3]),
    ("glob", "FROM node:20-slim\nCOPY package*.json ./\nRUN npm i --omit=dev\n", [3]),
]

DOES_NOT_CATCH = [
    ("ci", "FROM node:20-slim\nCOPY package*.json ./\nRUN npm ci\n"),
    ("no-lock", "FROM node:20-slim\nCOPY package.json ./\nRUN npm install\n"),
    ("named", "FROM node:20-slim\nCOPY package*.json ./\nRUN npm install left-pad@1.3.0\n"),
    ("global", "FROM node:20-slim\nCOPY package*.json ./\nRUN npm install -g npm@10.8.2\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(NpmInstallInsteadOfCi, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG051" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(NpmInstallInsteadOfCi, text, options=OPTIONS) == []


FIXES = [
    (
        "replace",
        "FROM node:20-slim\nCOPY package*.json ./\nRUN npm install --omit=dev\n",
        "FROM node:20-slim\nCOPY package*.json ./\nRUN npm ci --omit=dev\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(NpmInstallInsteadOfCi, before, options=OPTIONS) == after
