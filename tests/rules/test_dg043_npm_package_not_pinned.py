"""Tests for DG043 npm-package-not-pinned (dg043_npm_package_not_pinned)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg043_npm_package_not_pinned import NpmPackageNotPinned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("global", "FROM node:20-slim\nRUN npm install -g typescript\n", [2]),
    ("latest", "FROM node:20-slim\nRUN npm i typescript@latest\n", [2]),
    ("scoped", "FROM node:20-slim\nRUN npm i @angular/cli\n", [2]),
]

DOES_NOT_CATCH = [
    ("pinned", "FROM node:20-slim\nRUN npm install -g typescript@5.5.4\n"),
    ("scoped-pinned", "FROM node:20-slim\nRUN npm i @angular/cli@18.1.0\n"),
    ("from-package-json", "FROM node:20-slim\nRUN npm install\n"),
    ("ci", "FROM node:20-slim\nRUN npm ci\n"),
    ("local", "FROM node:20-slim\nRUN npm install ./lib\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(NpmPackageNotPinned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG043" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(NpmPackageNotPinned, text, options=OPTIONS) == []
