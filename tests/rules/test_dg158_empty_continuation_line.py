from __future__ import annotations

import pytest
from _helpers_b import lines, run
from dockgen_rules.dg158_empty_continuation_line import EmptyContinuationLine

CATCHES = [
    pytest.param("FROM a\nRUN a && \\\n\n    b\n", [2], id="one"),
    pytest.param("FROM a\nRUN a \\\n\n  && b \\\n   \n  && c\n", [2], id="two-in-one"),
    pytest.param("FROM a\nENV A=1 \\\n\n    B=2\n", [2], id="env"),
]
CLEAN = [
    pytest.param("FROM a\nRUN a && \\\n    b\n", id="continuation"),
    pytest.param("FROM a\nRUN a && \\\n# comment\n    b\n", id="comment-line"),
    pytest.param("FROM a\nRUN a\n\nRUN b\n", id="blank-between-instructions"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(EmptyContinuationLine, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(EmptyContinuationLine, text) == []


def test_message_names_the_lines() -> None:
    (finding,) = run(EmptyContinuationLine, "FROM a\nRUN a \\\n\n  && b \\\n   \n  && c\n")
    assert "3, 5" in finding.message
