"""Tests for DG004 base-image-from-disallowed-registry (dg004_base_image_from_disallowed_registry)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg004_base_image_from_disallowed_registry import BaseImageFromDisallowedRegistry

OPTIONS: dict[str, object] = {"allowed-registries": ["docker.io/library", "ghcr.io/acme", "*.corp.example"]}

CATCHES = [
    ("hub-user", "FROM someone/python:3\n", [1]),
    ("other-registry", "FROM quay.io/x/y:1\n", [1]),
    ("other-org", "FROM ghcr.io/evil/app:1\n", [1]),
]

DOES_NOT_CATCH = [
    ("official", "FROM python:3.12\n"),
    ("explicit-hub-official", "FROM docker.io/library/python:3.12\n"),
    ("allowed-prefix", "FROM ghcr.io/acme/base:1\n"),
    ("wildcard-host", "FROM reg.corp.example/x:1\n"),
    ("scratch", "FROM scratch\n"),
    ("unresolved-arg", "ARG BASE\nFROM $BASE\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(BaseImageFromDisallowedRegistry, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG004" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(BaseImageFromDisallowedRegistry, text, options=OPTIONS) == []
