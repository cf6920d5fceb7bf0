from __future__ import annotations

import pytest
from _helpers import fixed, lines, run
from dockgen_rules.dg130_maintainer_instruction import MaintainerInstruction

CATCHES = [
    pytest.param("FROM alpine\nMAINTAINER me\n", [2], id="plain"),
    pytest.param("from alpine\nmaintainer me\n", [2], id="lower"),
]
CLEAN = [
    pytest.param('FROM alpine\nLABEL maintainer="me"\n', id="label"),
    pytest.param("FROM alpine\nLABEL org.opencontainers.image.authors=me\n", id="oci"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(MaintainerInstruction, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(MaintainerInstruction, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM a\nMAINTAINER me\n", 'FROM a\nLABEL maintainer="me"\n', id="simple"),
        pytest.param("from a\nmaintainer me\n", 'from a\nlabel maintainer="me"\n', id="keeps-casing"),
        pytest.param(
            'FROM a\nMAINTAINER Jo "J" $x\n', 'FROM a\nLABEL maintainer="Jo \\"J\\" \\$x"\n', id="escapes"
        ),
    ],
)
def test_fix(text: str, expected: str) -> None:
    assert fixed(MaintainerInstruction, text) == expected
    assert fixed(MaintainerInstruction, text, unsafe=False) == text
