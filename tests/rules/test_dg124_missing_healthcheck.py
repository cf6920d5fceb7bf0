from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg124_missing_healthcheck import MissingHealthcheck

CATCHES = [
    pytest.param("FROM alpine\nCMD app\n", [1], id="none"),
    pytest.param("FROM alpine AS b\nHEALTHCHECK CMD x\nFROM alpine\nCMD app\n", [3], id="only-in-builder"),
]
CLEAN = [
    pytest.param("FROM alpine\nHEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1\n", id="present"),
    pytest.param("FROM alpine\nHEALTHCHECK NONE\n", id="explicit-none"),
    pytest.param("FROM alpine AS b\nHEALTHCHECK CMD x\nFROM b\nCMD app\n", id="inherited"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(MissingHealthcheck, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(MissingHealthcheck, text) == []


def test_is_opt_in() -> None:
    assert MissingHealthcheck.enabled_by_default is False
