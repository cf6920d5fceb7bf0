from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg114_user_not_numeric import UserNotNumeric

CATCHES = [
    pytest.param("FROM alpine\nUSER app\n", [2], id="name"),
    pytest.param("FROM alpine\nUSER app:1000\n", [2], id="name-with-gid"),
    pytest.param("FROM alpine AS b\nUSER nobody\nFROM b\n", [2], id="inherited"),
]
CLEAN = [
    pytest.param("FROM alpine\nUSER 10001\n", id="uid"),
    pytest.param("FROM alpine\nUSER 10001:10001\n", id="uid-gid"),
    pytest.param("FROM alpine\nUSER root\n", id="root-is-dg112"),
    pytest.param("FROM alpine\nUSER ${APP_UID}\n", id="variable"),
    pytest.param("FROM alpine\nUSER app\nUSER 1000\n", id="last-is-numeric"),
    pytest.param("FROM alpine AS b\nUSER app\nFROM alpine\nUSER 1\n", id="name-only-in-builder"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(UserNotNumeric, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(UserNotNumeric, text) == []


def test_is_opt_in() -> None:
    assert UserNotNumeric.enabled_by_default is False
