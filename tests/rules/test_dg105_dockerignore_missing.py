from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import lines, make_context, run
from dockgen_rules.dg105_dockerignore_missing import DockerignoreMissing

CATCHES = [
    pytest.param("FROM alpine\nWORKDIR /app\nCOPY . .\n", [3], id="whole-context"),
    pytest.param("FROM alpine\nCOPY app.py /a/\nCOPY src /a/src\nCOPY . /b\n", [3], id="first-dir-only"),
    pytest.param("FROM alpine\nCOPY ./ /app/\n", [2], id="dot-slash"),
]
CLEAN = [
    pytest.param("FROM alpine\nCOPY app.py /app/\n", id="single-file"),
    pytest.param("FROM alpine\nCOPY --from=build /src /src\n", id="from-stage"),
    pytest.param("FROM alpine\nRUN echo hi\n", id="no-copy"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(tmp_path: Path, text: str, expected: list[int]) -> None:
    ctx = make_context(tmp_path, {"app.py": "", "src/m.py": ""})
    assert lines(run(DockerignoreMissing, text, context_dir=ctx)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(tmp_path: Path, text: str) -> None:
    ctx = make_context(tmp_path, {"app.py": "", "src/m.py": ""})
    assert run(DockerignoreMissing, text, context_dir=ctx) == []


def test_an_ignore_file_satisfies_it(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, {".dockerignore": ".git\n", "app.py": ""})
    assert run(DockerignoreMissing, "FROM alpine\nCOPY . /app/\n", context_dir=ctx) == []


def test_needs_a_context() -> None:
    assert run(DockerignoreMissing, "FROM alpine\nCOPY . /app/\n") == []
