from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg113_final_stage_without_user import FinalStageWithoutUser

CATCHES = [
    pytest.param("FROM python:3.12-slim\nCMD python\n", [1], id="no-user"),
    pytest.param("FROM alpine AS build\nUSER app\nFROM alpine\nRUN x\n", [3], id="user-only-in-builder"),
    pytest.param('FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n', [1], id="scratch-that-runs"),
    pytest.param(
        'FROM scratch AS base\nCMD ["/app"]\nFROM base\nCOPY app /app\n', [3], id="scratch-cmd-inherited"
    ),
    pytest.param("FROM node:20-slim\nCOPY . /app\n", [1], id="base-with-unused-user"),
]
CLEAN = [
    pytest.param("FROM alpine\nUSER 10001\n", id="user"),
    pytest.param("FROM alpine\nUSER root\n", id="root-is-dg112"),
    pytest.param("FROM alpine AS base\nUSER app\nFROM base\nRUN x\n", id="inherited"),
    pytest.param("FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /\n", id="nonroot-base"),
    pytest.param("FROM docker:dind-rootless\nRUN x\n", id="rootless-base"),
    pytest.param("ARG X=1\n", id="no-stage"),
    pytest.param("FROM scratch\nCOPY app /app\n", id="scratch-artifact-image"),
    pytest.param(
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/ /\n",
        id="scratch-export-stage",
    ),
    pytest.param("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n", id="windows-servercore"),
    pytest.param(
        "FROM mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022\nRUN dir\n", id="windows-nanoserver"
    ),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(FinalStageWithoutUser, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(FinalStageWithoutUser, text) == []


def test_scratch_advice_is_a_numeric_user() -> None:
    (finding,) = run(FinalStageWithoutUser, 'FROM scratch\nCOPY app /app\nCMD ["/app"]\n')
    assert "USER 65534" in finding.message and "/etc/passwd" in finding.message
