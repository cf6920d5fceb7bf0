from __future__ import annotations

import pytest
from _helpers import fixed, lines, run
from dockgen_rules.dg131_legacy_key_value_format import LegacyKeyValueFormat, modern_value

CATCHES = [
    pytest.param("FROM a\nENV A 1\n", [2], id="env"),
    pytest.param("FROM a\nLABEL version 1.0\n", [2], id="label"),
    pytest.param("FROM a\nENV A 1 B 2\n", [2], id="looks-like-two"),
    pytest.param("FROM a\nONBUILD ENV A 1\n", [2], id="onbuild"),
]
CLEAN = [
    pytest.param("FROM a\nENV A=1\n", id="modern"),
    pytest.param("FROM a\nENV A=1 B=2\n", id="modern-two"),
    pytest.param('FROM a\nLABEL a="b c"\n', id="label-modern"),
    pytest.param("FROM a\nARG A\n", id="arg"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(LegacyKeyValueFormat, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(LegacyKeyValueFormat, text) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("1", "1", id="word"),
        pytest.param("$HOME/bin", "$HOME/bin", id="variable"),
        pytest.param("a b", '"a b"', id="spaces"),
        pytest.param('"a b"', '"a b"', id="already-quoted"),
        pytest.param("'a b'", "'a b'", id="single-quoted"),
        pytest.param('say "hi" now', None, id="inner-quotes"),
        pytest.param("a\\ b c", None, id="escapes"),
    ],
)
def test_modern_value(value: str, expected: str | None) -> None:
    assert modern_value(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM a\nENV A 1\n", "FROM a\nENV A=1\n", id="env"),
        pytest.param("FROM a\nENV PATH /opt/bin:$PATH\n", "FROM a\nENV PATH=/opt/bin:$PATH\n", id="path"),
        pytest.param("FROM a\nLABEL d two words\n", 'FROM a\nLABEL d="two words"\n', id="quoted"),
        pytest.param('FROM a\nENV A say "hi" now\n', 'FROM a\nENV A say "hi" now\n', id="no-fix"),
    ],
)
def test_fix(text: str, expected: str) -> None:
    assert fixed(LegacyKeyValueFormat, text) == expected
