from __future__ import annotations

import pytest
from _helpers import fixed, lines, run
from dockgen_rules.dg133_env_self_reference import EnvSelfReference

CATCHES = [
    pytest.param("FROM a\nENV A=1 B=$A\n", [2], id="simple"),
    pytest.param("FROM a\nENV A=1 \\\n    B=${A}/x\n", [2], id="braces-multiline"),
    pytest.param("FROM a\nENV A=1 B=2 C=${B:-x}\n", [2], id="with-default"),
]
CLEAN = [
    pytest.param("FROM a\nENV A=1\nENV B=$A\n", id="separate"),
    pytest.param("FROM a\nENV PATH=/x:$PATH A=1\n", id="self-reference-of-old-value"),
    pytest.param("FROM a\nENV B=$A A=1\n", id="reference-before-definition"),
    pytest.param("FROM a\nENV A=1 B='$A'\n", id="single-quoted"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(EnvSelfReference, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(EnvSelfReference, text) == []


def test_fix_splits_until_clean() -> None:
    out = fixed(EnvSelfReference, "FROM a\nENV A=1 B=$A C=$B\n")
    assert out == "FROM a\nENV A=1\nENV B=$A\nENV C=$B\n"
    assert fixed(EnvSelfReference, "FROM a\nENV A=1 B=$A\n", unsafe=False) == "FROM a\nENV A=1 B=$A\n"
