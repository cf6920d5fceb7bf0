"""Tests for DG049 package-cache-not-cleaned (dg049_package_cache_not_cleaned)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg049_package_cache_not_cleaned import PackageCacheNotCleaned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("dnf", "FROM rockylinux:9\nRUN dnf install -y x\n", [2]),
    ("microdnf", "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y x\n", [2]),
    ("zypper", "FROM opensuse/leap:15\nRUN zypper -n in x\n", [2]),
]

DOES_NOT_CATCH = [
    ("clean", "FROM rockylinux:9\nRUN dnf install -y x && dnf clean all\n"),
    ("rm", "FROM centos:7\nRUN yum install -y x && rm -rf /var/cache/yum\n"),
    ("zypper-cc", "FROM opensuse/leap:15\nRUN zypper -n in x && zypper cc -a\n"),
    ("mount", "FROM rockylinux:9\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y x\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(PackageCacheNotCleaned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG049" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(PackageCacheNotCleaned, text, options=OPTIONS) == []


FIXES = [
    (
        "append",
        "FROM rockylinux:9\nRUN dnf install -y x\n",
        "FROM rockylinux:9\nRUN dnf install -y x && dnf clean all\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(PackageCacheNotCleaned, before, options=OPTIONS) == after
