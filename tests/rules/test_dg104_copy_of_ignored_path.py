from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import lines, make_context, run
from dockgen_rules.dg104_copy_of_ignored_path import CopyOfIgnoredPath

CATCHES = [
    pytest.param(".env\n", "FROM alpine\nCOPY .env /app/\n", [2], id="file"),
    pytest.param("docs\n", "FROM alpine\nCOPY docs/guide.md /app/\n", [2], id="below-excluded-dir"),
    pytest.param("**/*.log\n", "FROM alpine\nCOPY logs/a.log /x\n", [2], id="double-star"),
    pytest.param("secret.txt\n", "FROM alpine\nCOPY ./secret.txt /x\n", [2], id="dot-slash-source"),
    pytest.param("tmp\n", "FROM alpine\nADD --chown=1:1 tmp /x\n", [2], id="add"),
    pytest.param("*.md\n!README.md\n", "FROM alpine\nCOPY CHANGES.md /x\n", [2], id="exception-elsewhere"),
]
CLEAN = [
    pytest.param(".env\n", "FROM alpine\nCOPY app.py /app/\n", id="not-ignored"),
    pytest.param("*.md\n!README.md\n", "FROM alpine\nCOPY README.md /x\n", id="re-included"),
    pytest.param("docs\n!docs/keep.md\n", "FROM alpine\nCOPY docs /x\n", id="dir-with-exception"),
    pytest.param(".env\n", "FROM alpine\nCOPY --from=build /src/.env /x\n", id="from-stage"),
    pytest.param("*.py\n", "FROM alpine\nCOPY *.py /x/\n", id="glob-source"),
    pytest.param("x\n", "FROM alpine\nADD https://example.com/x /x\n", id="url"),
]


@pytest.mark.parametrize(("ignore", "text", "expected"), CATCHES)
def test_catches(tmp_path: Path, ignore: str, text: str, expected: list[int]) -> None:
    ctx = make_context(tmp_path, {".dockerignore": ignore})
    assert lines(run(CopyOfIgnoredPath, text, context_dir=ctx)) == expected


@pytest.mark.parametrize(("ignore", "text"), CLEAN)
def test_does_not_catch(tmp_path: Path, ignore: str, text: str) -> None:
    ctx = make_context(tmp_path, {".dockerignore": ignore})
    assert run(CopyOfIgnoredPath, text, context_dir=ctx) == []


def test_needs_a_context() -> None:
    assert run(CopyOfIgnoredPath, "FROM alpine\nCOPY .env /app/\n") == []


def test_per_dockerfile_ignore_file_wins(tmp_path: Path) -> None:
    ctx = make_context(
        tmp_path,
        {".dockerignore": "app.py\n", "build/api.Dockerfile.dockerignore": "other\n"},
    )
    text = "FROM alpine\nCOPY app.py /x\n"
    dockerfile = str(tmp_path / "build" / "api.Dockerfile")
    assert run(CopyOfIgnoredPath, text, context_dir=ctx, path=dockerfile) == []
    assert lines(run(CopyOfIgnoredPath, text, context_dir=ctx)) == [2]
