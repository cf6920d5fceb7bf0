"""Tests for DG108 copy-source-not-in-context."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import dedent, make_context
from dockgen_rules.dg108_copy_source_not_in_context import CopySourceNotInContext

from dockgen.lint.rule import Finding, LintContext
from dockgen.parse import parse_text

FILES = {
    "worker.py": "",
    "requirements.txt": "",
    "src/app/main.py": "",
    ".dockerignore": "secrets.txt\n",
    "secrets.txt": "",
}


def check(text: str, root: Path, *, given: bool = True) -> list[Finding]:
    df = parse_text(dedent(text), path=str(root / "Dockerfile"))
    ctx = LintContext(dockerfile=df, context_dir=root, context_given=given)
    return list(CopySourceNotInContext().check(ctx))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_context(tmp_path, FILES)


def test_missing_source_with_suggestion(root: Path) -> None:
    [finding] = check("FROM python:3.12\nCOPY wokrer.py /app/\n", root)
    assert finding.line == 2
    assert "'wokrer.py' is not in the build context" in finding.message
    assert finding.message.endswith("did you mean worker.py?")


def test_suggestion_in_a_subdirectory(root: Path) -> None:
    [finding] = check("FROM python:3.12\nCOPY src/app/mian.py /app/\n", root)
    assert finding.message.endswith("did you mean src/app/main.py?")


def test_no_suggestion_for_an_ignored_file(root: Path) -> None:
    [finding] = check("FROM python:3.12\nCOPY secret.txt /app/\n", root)
    assert "did you mean" not in finding.message


def test_glob_matching_nothing(root: Path) -> None:
    [finding] = check("FROM python:3.12\nCOPY *.toml /app/\n", root)
    assert "matches nothing" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12\nCOPY worker.py requirements.txt /app/\n",
        "FROM python:3.12\nCOPY src/ /app/\n",
        "FROM python:3.12\nCOPY . /app/\n",
        "FROM python:3.12\nCOPY *.py /app/\n",
        "FROM python:3.12\nCOPY --from=builder /out /out\n",
        "FROM python:3.12\nARG SRC=x\nCOPY $SRC /app/\n",
        "FROM python:3.12\nADD https://example.com/x.tar.gz /opt/\n",
    ],
)
def test_present_or_unchecked_sources(text: str, root: Path) -> None:
    assert check(text, root) == []


def test_a_guessed_context_is_not_trusted(root: Path) -> None:
    """Linting a lone Dockerfile does not assume its directory is the build context."""
    assert check("FROM python:3.12\nCOPY wokrer.py /app/\n", root, given=False) == []
