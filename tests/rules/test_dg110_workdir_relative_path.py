from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg110_workdir_relative_path import WorkdirRelativePath

CATCHES = [
    pytest.param("FROM alpine\nWORKDIR app\n", [2], id="relative"),
    pytest.param("FROM alpine\nWORKDIR ./app\nWORKDIR src\n", [2, 3], id="two-relative"),
    pytest.param(
        "FROM alpine AS a\nWORKDIR /app\nFROM alpine\nWORKDIR src\n", [4], id="other-stage-absolute"
    ),
]
CLEAN = [
    pytest.param("FROM alpine\nWORKDIR /app\n", id="absolute"),
    pytest.param("FROM alpine\nWORKDIR /app\nWORKDIR src\n", id="relative-after-absolute"),
    pytest.param("FROM alpine AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n", id="inherited-absolute"),
    pytest.param("FROM alpine\nWORKDIR $HOME/app\n", id="variable"),
    pytest.param("FROM mcr.microsoft.com/windows/servercore\nWORKDIR C:\\app\n", id="windows"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(WorkdirRelativePath, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(WorkdirRelativePath, text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('FROM alpine\nWORKDIR "/usr/bin/x/"\n', id="double-quoted-absolute"),
        pytest.param("FROM alpine\nWORKDIR '/srv/app'\nWORKDIR src\n", id="single-quoted-then-relative"),
    ],
)
def test_quoted_absolute_workdir_is_absolute(text: str) -> None:
    assert run(WorkdirRelativePath, text) == []


def test_quoted_relative_workdir_suggests_the_unquoted_path() -> None:
    [finding] = run(WorkdirRelativePath, 'FROM alpine\nWORKDIR "app"\n')
    assert "use '/app'" in finding.message
