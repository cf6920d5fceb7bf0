"""Tests for DG046 rpm-package-not-pinned (dg046_rpm_package_not_pinned)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg046_rpm_package_not_pinned import RpmPackageNotPinned

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("dnf", "FROM rockylinux:9\nRUN dnf install -y httpd\n", [2]),
    ("yum", "FROM centos:7\nRUN yum install -y httpd\n", [2]),
    ("zypper", "FROM opensuse/leap:15\nRUN zypper -n in curl\n", [2]),
]

DOES_NOT_CATCH = [
    ("dnf-pinned", "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57\n"),
    ("zypper-pinned", "FROM opensuse/leap:15\nRUN zypper -n in curl=8.0\n"),
    ("group", "FROM rockylinux:9\nRUN dnf install -y @core\n"),
    ("rpm-file", "FROM rockylinux:9\nRUN dnf install -y /tmp/x.rpm\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(RpmPackageNotPinned, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG046" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(RpmPackageNotPinned, text, options=OPTIONS) == []
