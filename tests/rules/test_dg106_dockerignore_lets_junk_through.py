from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import lines, make_context, run
from dockgen_rules.dg106_dockerignore_lets_junk_through import DockerignoreLetsJunkThrough

COPY_ALL = "FROM alpine\nWORKDIR /app\nCOPY . .\n"

CATCHES = [
    pytest.param({".dockerignore": "*.log\n", ".git/HEAD": ""}, COPY_ALL, [3], ".git", id="git"),
    pytest.param({".dockerignore": ".git\n", ".env": "X=1"}, COPY_ALL, [3], ".env", id="env"),
    pytest.param(
        {".dockerignore": ".git\n", "node_modules/x/index.js": ""}, COPY_ALL, [3], "node_modules", id="node"
    ),
    pytest.param(
        {".dockerignore": "__pycache__\n", "pkg/__pycache__/m.pyc": ""},
        COPY_ALL,
        [3],
        "**/__pycache__",
        id="pycache-only-top-level-ignored",
    ),
    pytest.param(
        {".dockerignore": ".git\n", "src/__pycache__/m.pyc": ""},
        "FROM alpine\nCOPY src /app/src\n",
        [2],
        "**/__pycache__",
        id="pycache-in-copied-dir",
    ),
    pytest.param(
        {".dockerignore": ".git\n!.git\n", ".git/HEAD": ""}, COPY_ALL, [3], ".git", id="git-re-included"
    ),
]
CLEAN = [
    pytest.param({".dockerignore": ".git\n.env\n", ".git/HEAD": "", ".env": ""}, COPY_ALL, id="excluded"),
    pytest.param({".dockerignore": "/.git/\n.env*\n", ".git/HEAD": "", ".env": ""}, COPY_ALL, id="variants"),
    pytest.param(
        {".dockerignore": "**/__pycache__\n", "a/__pycache__/x.pyc": ""}, COPY_ALL, id="pycache-glob"
    ),
    pytest.param({".dockerignore": "*\n!app.py\n", ".git/HEAD": ""}, COPY_ALL, id="allow-list"),
    pytest.param(
        {".dockerignore": "*.log\n", ".git/HEAD": ""}, "FROM alpine\nCOPY app.py /x\n", id="not-copied"
    ),
    pytest.param({".dockerignore": "*.log\n"}, COPY_ALL, id="nothing-present"),
    pytest.param({".git/HEAD": ""}, COPY_ALL, id="no-ignore-file-is-dg105"),
]


@pytest.mark.parametrize(("files", "text", "expected", "mentioned"), CATCHES)
def test_catches(
    tmp_path: Path, files: dict[str, str], text: str, expected: list[int], mentioned: str
) -> None:
    found = run(DockerignoreLetsJunkThrough, text, context_dir=make_context(tmp_path, files))
    assert lines(found) == expected
    assert mentioned in found[0].message


@pytest.mark.parametrize(("files", "text"), CLEAN)
def test_does_not_catch(tmp_path: Path, files: dict[str, str], text: str) -> None:
    assert run(DockerignoreLetsJunkThrough, text, context_dir=make_context(tmp_path, files)) == []
