""".dockerignore: defaults, merge with the image's entries, and BuildKit/moby matching semantics."""

from __future__ import annotations

import pytest

from dockgen.dockerignore import DEFAULTS, Matcher, dockerignore_entries, read_patterns, render_dockerignore
from dockgen.errors import DockgenError

# (patterns, path, excluded) following moby's patternmatcher / fileutils tests and the dockerignore docs
MATCHES = [
    (["*"], "file", True),
    (["*"], "dir/file", True),  # the top-level directory matches, so everything below it too
    (["*.go"], "main.go", True),
    (["*.go"], "cmd/main.go", False),
    (["**/*.go"], "cmd/main.go", True),
    (["**/*.go"], "main.go", True),
    (["**"], "a/b/c", True),
    (["**/"], "a/b", True),
    (["docs"], "docs", True),
    (["docs"], "docs/index.md", True),
    (["docs"], "src/docs", False),
    (["docs/"], "docs/index.md", True),
    (["/docs"], "docs/index.md", True),
    (["./docs"], "docs/index.md", True),
    (["docs/*.md"], "docs/a.md", True),
    (["docs/*.md"], "docs/sub/a.md", False),
    (["docs/**/*.md"], "docs/sub/deep/a.md", True),
    (["docs/**/*.md"], "docs/a.md", True),
    (["a/**/b"], "a/b", True),
    (["a/**/b"], "a/x/y/b", True),
    (["a/**"], "a/x", True),
    (["a/**"], "a", False),
    (["**/node_modules"], "web/node_modules/x/index.js", True),
    (["file?.txt"], "file1.txt", True),
    (["file?.txt"], "file10.txt", False),
    (["file?.txt"], "dir/file1.txt", False),
    (["?"], "/", False),
    (["[a-c].txt"], "b.txt", True),
    (["[a-c].txt"], "d.txt", False),
    (["[^a-c].txt"], "d.txt", True),
    (["*.py[cod]"], "x.pyc", True),
    (["a.b"], "axb", False),  # '.' is literal
    (["a+b"], "a+b", True),
    (["\\*"], "*", True),
    (["\\*"], "x", False),
    (["*", "!keep"], "keep", False),
    (["*", "!keep"], "other", True),
    (["*.md", "!README.md"], "README.md", False),
    (["*.md", "!README.md", "README*"], "README.md", True),  # the last match wins
    (["build", "!build/keep"], "build/keep", False),
    (["build", "!build/keep"], "build/other", True),
    (["build", "!build/keep"], "build/keep/inner", False),
    ([".env*", "!.env.example"], ".env.example", False),
    ([".env*", "!.env.example"], ".env.local", True),
    (["# comment-looking pattern is a pattern here"], "# comment-looking pattern is a pattern here", True),
    (["  spaced  "], "spaced", True),
    (["a//b/../c"], "a/c", True),
]


@pytest.mark.parametrize(
    ("patterns", "path", "excluded"), MATCHES, ids=[f"{'|'.join(p)}@{f}" for p, f, _ in MATCHES]
)
def test_matcher(patterns: list[str], path: str, excluded: bool) -> None:
    assert Matcher(patterns).excluded(path) is excluded


def test_paths_are_cleaned() -> None:
    m = Matcher(["docs"])
    assert m.excluded("./docs/a.md")
    assert m.excluded("/docs/a.md")
    assert not m.excluded(".")
    assert m.included("src/a.py")


def test_read_patterns_drops_comments_and_blank_lines() -> None:
    text = "\ufeff# header\n\n  node_modules  \n# another\n!keep\n"
    assert read_patterns(text) == ["node_modules", "!keep"]
    assert Matcher.from_text(text).has_exceptions


def test_illegal_exclusion() -> None:
    with pytest.raises(DockgenError, match="illegal exclusion"):
        Matcher(["!"])


DEFAULT_CASES = [
    (".git/HEAD", True),
    (".hg/store", True),
    (".svn/entries", True),
    (".idea/workspace.xml", True),
    (".vscode/settings.json", True),
    ("src/.main.py.swp", True),
    ("sub/.DS_Store", True),
    ("Thumbs.db", True),
    ("pkg/__pycache__/mod.cpython-311.pyc", True),
    ("pkg/mod.pyc", True),
    (".venv/bin/python", True),
    ("venv/bin/python", True),
    ("web/node_modules/left-pad/index.js", True),
    (".env", True),
    (".env.production", True),
    (".env.example", False),
    ("certs/server.pem", True),
    ("certs/server.key", True),
    ("home/.ssh/id_rsa", True),
    ("Dockerfile", True),
    ("Dockerfile.dev", True),
    ("api.Dockerfile", True),
    (".dockerignore", True),
    ("dist/app.whl", True),
    ("build/lib/x.py", True),
    ("src/pkg.egg-info/PKG-INFO", True),
    (".pytest_cache/v/cache", True),
    (".mypy_cache/3.11/x.json", True),
    (".tox/py311/bin", True),
    (".nox/tests/bin", True),
    ("coverage/lcov.info", True),
    ("src/app.py", False),
    ("package.json", False),
    ("requirements.txt", False),
    ("env/config.py", False),  # "env" is a common source directory name: not excluded
    ("src/build/helper.py", False),  # only the top-level build output
]


@pytest.mark.parametrize(("path", "excluded"), DEFAULT_CASES, ids=[c[0] for c in DEFAULT_CASES])
def test_defaults(path: str, excluded: bool) -> None:
    assert Matcher(dockerignore_entries()).excluded(path) is excluded


def test_user_entries_come_last_and_win() -> None:
    entries = dockerignore_entries(["!.env.production", "docs"])
    assert entries[-2:] == ["!.env.production", "docs"]
    m = Matcher(entries)
    assert not m.excluded(".env.production")
    assert m.excluded("docs/index.md")
    assert dockerignore_entries(["x"], defaults=False) == ["x"]


def test_render_is_deterministic_with_header_and_sections() -> None:
    text = render_dockerignore(["!dist/keep.txt"], header="Generated by dockgen")
    assert text == render_dockerignore(["!dist/keep.txt"], header="Generated by dockgen")
    lines = text.splitlines()
    assert lines[0] == "# Generated by dockgen"
    assert lines[-1] == "!dist/keep.txt"
    assert read_patterns(text) == dockerignore_entries(["!dist/keep.txt"])
    for title, _ in DEFAULTS:
        assert f"# {title}" in lines
    assert render_dockerignore([], defaults=False) == ""
    with pytest.raises(DockgenError, match="spans lines"):
        render_dockerignore(["a\nb"])
