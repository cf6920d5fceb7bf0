"""Tests for DG146 system-package-install-as-non-root."""

from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg146_system_package_install_as_non_root import SystemPackageInstallAsNonRoot

CATCHES = [
    pytest.param("FROM debian:12\nUSER app\nRUN apt-get update && apt-get install -y curl\n", [3], id="apt"),
    pytest.param("FROM alpine:3.20\nUSER 1000:1000\nRUN apk add --no-cache curl\n", [3], id="apk-uid"),
    pytest.param("FROM fedora:40\nUSER app\nRUN dnf install -y curl\n", [3], id="dnf"),
    pytest.param(
        "FROM debian:12 AS base\nUSER app\nFROM base\nRUN apt-get install -y curl\n",
        [4],
        id="inherited-stage",
    ),
    pytest.param("FROM debian:12\nUSER root\nUSER app\nRUN apt-get update\n", [4], id="update"),
]
CLEAN = [
    pytest.param("FROM debian:12\nRUN apt-get install -y curl\n", id="no-user"),
    pytest.param(
        "FROM debian:12\nUSER app\nUSER root\nRUN apt-get install -y curl\nUSER app\n", id="switched"
    ),
    pytest.param("FROM debian:12\nUSER 0\nRUN apt-get install -y curl\n", id="uid-0"),
    pytest.param("FROM debian:12\nUSER app\nRUN sudo apt-get install -y curl\n", id="sudo"),
    pytest.param("FROM debian:12\nUSER app\nRUN pip install --user flask==3.0.3\n", id="pip-user"),
    pytest.param("FROM debian:12\nUSER app\nRUN apt-get --version\n", id="no-subcommand"),
    pytest.param("FROM debian:12\nUSER $APP_USER\nRUN apt-get install -y curl\n", id="variable-user"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(SystemPackageInstallAsNonRoot, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(SystemPackageInstallAsNonRoot, text) == []


def test_message_names_the_user_and_the_way_out() -> None:
    [f] = run(SystemPackageInstallAsNonRoot, "FROM debian:12\nUSER app\nRUN apt-get install -y curl\n")
    assert "user 'app' (USER at line 2)" in f.message and "USER root" in f.message
