from __future__ import annotations

import pytest
from _helpers import fixed, lines, run
from dockgen_rules.dg134_inconsistent_instruction_casing import InconsistentInstructionCasing

CATCHES = [
    pytest.param("FROM a\nrun x\nCOPY a b\n", [2], id="one-lower"),
    pytest.param("from a\nRUN x\ncopy a b\n", [2], id="one-upper"),
    pytest.param("FROM a\nRun x\n", [2], id="mixed-word"),
    pytest.param("from a\nRUN x\n", [1], id="tie-is-upper"),
]
CLEAN = [
    pytest.param("FROM a\nRUN x\n", id="upper"),
    pytest.param("from a\nrun x\n", id="lower"),
    pytest.param("FROM a AS b\nRUN x\n", id="as-is-not-a-keyword"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(InconsistentInstructionCasing, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(InconsistentInstructionCasing, text) == []


def test_fix_keeps_arguments() -> None:
    assert fixed(InconsistentInstructionCasing, "from a\nrun  x  &&  y\nCopy a b\n") == (
        "from a\nrun  x  &&  y\ncopy a b\n"
    )
