from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg102_copy_relative_destination_without_workdir import (
    CopyRelativeDestinationWithoutWorkdir,
)

CATCHES = [
    pytest.param("FROM alpine\nCOPY app.py app/\n", [2], id="relative"),
    pytest.param("FROM alpine\nCOPY . .\n", [2], id="dot"),
    pytest.param("FROM alpine\nADD a.tar.gz opt/\n", [2], id="add"),
    pytest.param("FROM alpine\nCOPY a x\nWORKDIR /app\nCOPY b y\n", [2], id="before-workdir-only"),
    pytest.param(
        "FROM alpine AS a\nWORKDIR /app\nFROM alpine\nCOPY x y\n", [4], id="workdir-of-unrelated-stage"
    ),
]
CLEAN = [
    pytest.param("FROM alpine\nCOPY app.py /app/\n", id="absolute"),
    pytest.param("FROM alpine\nWORKDIR /app\nCOPY . .\n", id="workdir-first"),
    pytest.param("FROM alpine AS base\nWORKDIR /app\nFROM base\nCOPY . .\n", id="inherited-workdir"),
    pytest.param("FROM alpine\nCOPY app.py $APP_HOME\n", id="variable"),
    pytest.param("FROM mcr.microsoft.com/windows\nCOPY a C:\\app\\\n", id="windows-absolute"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(CopyRelativeDestinationWithoutWorkdir, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(CopyRelativeDestinationWithoutWorkdir, text) == []
