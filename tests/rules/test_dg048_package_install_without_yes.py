"""Tests for DG048 package-install-without-yes (dg048_package_install_without_yes)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg048_package_install_without_yes import PackageInstallWithoutYes

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("dnf", "FROM rockylinux:9\nRUN dnf install httpd\n", [2]),
    ("yum-remove", "FROM centos:7\nRUN yum remove x\n", [2]),
    ("zypper", "FROM opensuse/leap:15\nRUN zypper install x\n", [2]),
]

DOES_NOT_CATCH = [
    ("dnf-y", "FROM rockylinux:9\nRUN dnf install -y httpd\n"),
    ("yum-assumeyes", "FROM centos:7\nRUN yum --assumeyes install x\n"),
    ("zypper-n", "FROM opensuse/leap:15\nRUN zypper -n install x\n"),
    ("zypper-y", "FROM opensuse/leap:15\nRUN zypper install -y x\n"),
    ("clean", "FROM rockylinux:9\nRUN dnf clean all\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(PackageInstallWithoutYes, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG048" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(PackageInstallWithoutYes, text, options=OPTIONS) == []


FIXES = [
    ("insert", "FROM rockylinux:9\nRUN dnf install httpd\n", "FROM rockylinux:9\nRUN dnf install -y httpd\n"),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(PackageInstallWithoutYes, before, options=OPTIONS) == after
