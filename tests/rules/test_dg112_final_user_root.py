from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg112_final_user_root import FinalUserRoot

CATCHES = [
    pytest.param("FROM alpine\nUSER root\n", [2], id="root"),
    pytest.param("FROM alpine\nUSER app\nRUN x\nUSER 0:0\n", [4], id="uid-0-last"),
    pytest.param("FROM alpine\nUSER root:root\n", [2], id="root-group"),
    pytest.param("FROM alpine AS base\nUSER root\nFROM base\nRUN x\n", [2], id="inherited"),
    pytest.param("FROM alpine AS build\nUSER app\nFROM alpine\nUSER root\n", [4], id="last-stage"),
]
CLEAN = [
    pytest.param("FROM alpine\nUSER root\nRUN x\nUSER app\n", id="back-to-app"),
    pytest.param("FROM alpine AS build\nUSER root\nFROM alpine\nUSER 10001\n", id="root-only-in-builder"),
    pytest.param("FROM alpine\nRUN x\n", id="no-user-is-dg113"),
    pytest.param("FROM alpine\nUSER rooter\n", id="name-starting-with-root"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(FinalUserRoot, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(FinalUserRoot, text) == []


def test_target_option_selects_the_final_stage() -> None:
    text = "FROM alpine AS dev\nUSER root\nFROM alpine AS prod\nUSER app\n"
    assert lines(run(FinalUserRoot, text, options={"target": "dev"})) == [2]
    assert run(FinalUserRoot, text, options={"target": "prod"}) == []
