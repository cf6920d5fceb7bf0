"""The .dockerignore matcher against BuildKit's documented semantics."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen.dockerignore import Matcher, context_files

CASES = [
    # (patterns, path, excluded)
    ("*.md", "README.md", True),
    ("*.md", "docs/guide.md", False),  # * does not cross directories
    ("**/*.md", "docs/guide.md", True),
    ("**/*.md", "README.md", True),  # ** matches zero directories
    ("docs", "docs/a/b.txt", True),  # a matched directory excludes its contents
    ("docs/", "docs/a.txt", True),  # trailing slash cleaned
    ("/docs", "docs/a.txt", True),  # leading slash is the context root
    ("./docs", "docs/a.txt", True),
    ("doc?", "docs", True),
    ("doc?", "docs/x", True),
    ("doc?", "do/x", False),
    ("[a-c]*.txt", "b1.txt", True),
    ("[a-c]*.txt", "d1.txt", False),
    ("[^a-c]*.txt", "d1.txt", True),  # BuildKit negates [^...] (checked with buildx)
    ("*\n!keep.md", "keep.md", False),
    ("*.md\n!keep.md", "other.md", True),
    ("docs\n!docs/keep.txt", "docs/keep.txt", False),
    ("docs\n!docs/keep.txt", "docs/drop.txt", True),
    ("!x\n*", "x", True),  # the last match wins
    ("# comment\n\n  build  ", "build/out", True),
    ("a/**", "a/b/c", True),
    ("a/**", "a", False),
    ("a/**/z", "a/z", True),
    ("a/**/z", "a/b/c/z", True),
    ("**", "anything/at/all", True),
    ("*/tmp", "x/tmp/y", True),
    ("*/tmp", "tmp", False),
    ("\\*lit", "*lit", True),
    ("\\*lit", "xlit", False),
    ("node_modules\n!node_modules/keep\nnode_modules/keep/drop", "node_modules/keep/drop", True),
]


def _id(case: object) -> str:
    values = case.values if hasattr(case, "values") else case  # type: ignore[union-attr]
    return f"{values[0]!r}:{values[1]}"


@pytest.mark.parametrize(("patterns", "path", "excluded"), CASES, ids=[_id(c) for c in CASES])
def test_matcher(patterns: str, path: str, excluded: bool) -> None:
    assert Matcher.from_text(patterns).excluded(path) is excluded


def test_context_files_walks_with_exceptions(tmp_path: Path) -> None:
    for rel in ("app.py", "docs/a.md", "docs/keep.md", "build/x.o", "src/m.py", ".git/HEAD"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / ".dockerignore").write_text(".git\nbuild\ndocs\n!docs/keep.md\n")
    assert list(context_files(tmp_path)) == [".dockerignore", "app.py", "docs/keep.md", "src/m.py"]


def test_context_files_explicit_text_overrides_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / ".dockerignore").write_text("a.txt\n")
    assert list(context_files(tmp_path, "b.txt\n.dockerignore\n")) == ["a.txt"]
