from __future__ import annotations

import pytest
from _helpers import lines, only_replacement, run
from dockgen_rules.dg101_copy_sources_to_non_directory import CopySourcesToNonDirectory

CATCHES = [
    pytest.param("FROM alpine\nCOPY a b /app\n", [2], id="two-sources"),
    pytest.param("FROM alpine\nADD a b c /opt\n", [2], id="add"),
    pytest.param('FROM alpine\nCOPY ["a", "b", "/app"]\n', [2], id="json"),
    pytest.param("FROM alpine\nCOPY --from=build /a /b .\n", [2], id="dot-destination"),
]
CLEAN = [
    pytest.param("FROM alpine\nCOPY a b /app/\n", id="slash"),
    pytest.param("FROM alpine\nCOPY a /app\n", id="one-source"),
    pytest.param("FROM alpine\nCOPY a b ./\n", id="dot-slash"),
    pytest.param("FROM alpine\nCOPY *.py /app\n", id="one-glob-left-alone"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(CopySourcesToNonDirectory, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(CopySourcesToNonDirectory, text) == []


def test_fix_appends_slash() -> None:
    (finding,) = run(CopySourcesToNonDirectory, "FROM alpine\nCOPY --link a b /app\n")
    (new,) = only_replacement(finding)
    assert new.args == ("a", "b", "/app/")
    assert new.flag("link") == ""
