""".dockerignore matching cannot be stalled by a hostile pattern, and still agrees with BuildKit.

* ``plan`` over a 2,000-file context whose .dockerignore holds ``**/*a*a*a*a*a*a*a*b`` and 2,000 ``*`` then
  ``b`` finishes (the backtracking matcher took minutes: an untrusted pull request could stall CI);
* the files BuildKit really sends (``COPY . /ctx/`` in a real build) are the files dockgen hashes, for
  patterns with ``*``, ``?``, ``**``, ``[...]``, ``[^...]``, escapes and ``!`` exceptions;
* random patterns agree with a regular-expression translation of the same rules (the old implementation,
  kept here as an oracle on inputs too small to backtrack badly).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockgen.dockerignore import Matcher, Pattern, context_files
from tests.support.infra import require_buildx, require_engine

HOSTILE = ["**/*a*a*a*a*a*a*a*b", "*" * 2000 + "b", "a*" * 300 + "b", "**/" + "?*" * 200 + "b"]


def test_hostile_patterns_do_not_stall_plan(tmp_path: Path) -> None:
    ctx = tmp_path / "ctx"
    for i in range(2000):
        d = ctx / f"dir{i % 20}" / ("a" * 30)
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{'a' * 40}{i}").write_text("x")
    entries = ", ".join(repr(p) for p in HOSTILE)
    (tmp_path / "build_images.py").write_text(
        "from dockgen import Copy, Image, Stage\n"
        f"images = [Image('hostile', context='ctx', dockerignore=[{entries}],\n"
        "                stages=[Stage(base='busybox', steps=[Copy('.', '/ctx/')])])]\n"
    )
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "dockgen", "-f", "build_images.py", "plan", "--offline"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,  # the old matcher ran for many minutes here
    )
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(("pattern", "shortest"), list(zip(HOSTILE, [7, 1, 300, 200], strict=True)))
def test_hostile_pattern_semantics(pattern: str, shortest: int) -> None:
    m = Matcher([pattern])
    assert m.excluded("d/" * (pattern.startswith("**") and 3) + "a" * max(shortest, 50) + "b")
    assert m.excluded("a" * (shortest - 1) + "b") == (shortest == 1)
    assert not m.excluded("a" * 2000)


TREE = [
    "README.md",
    "docs/guide.md",
    "docs/keep.md",
    "src/app.py",
    "src/app_test.py",
    "src/pkg/mod.py",
    "src/pkg/data/x1.bin",
    "src/pkg/data/y2.bin",
    "build-output/a.o",
    "a*b/star.txt",
    "logs/2024/01.log",
    "logs/keep.log",
    "c1.txt",
    "d1.txt",
    "e.txt",
]
RULESETS = [
    ["**/*.md", "!docs/keep.md", "src/**/data/[xz]?.bin"],
    ["[a-c]*.txt", "[^a-d]*.txt", "build-*", "a\\*b", "logs/**", "!logs/keep.log"],
    ["*", "!src", "src/*_test.py", "!**/mod.py"],
    ["**/?1.*", "src/pkg", "!src/pkg/data"],
]


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.parametrize("rules", RULESETS, ids=[f"set{i}" for i in range(len(RULESETS))])
def test_agrees_with_buildkit(tmp_path: Path, rules: list[str]) -> None:
    require_engine()
    require_buildx()
    ctx = tmp_path / "ctx"
    for rel in TREE:
        (ctx / rel).parent.mkdir(parents=True, exist_ok=True)
        (ctx / rel).write_text(rel)
    ignore = "\n".join(rules) + "\n"
    df_dir = tmp_path / "df"
    df_dir.mkdir()
    (df_dir / "Dockerfile").write_text(f"FROM busybox\nCOPY . /ctx/\nRUN echo {uuid.uuid4().hex}\n")
    (df_dir / "Dockerfile.dockerignore").write_text(ignore)
    tag = f"dockgen-test/ignore-oracle:{uuid.uuid4().hex[:10]}"
    subprocess.run(
        ["docker", "buildx", "build", "-q", "--load", "-t", tag, "-f", str(df_dir / "Dockerfile"), str(ctx)],
        check=True,
        capture_output=True,
    )
    try:
        listing = subprocess.run(
            ["docker", "run", "--rm", tag, "find", "/ctx", "-type", "f"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True, check=False)
    sent = {line.removeprefix("/ctx/") for line in listing.split()}
    assert set(context_files(ctx, ignore)) == sent


def _oracle(pattern: str) -> re.Pattern[str] | None:
    """The regular-expression translation the matcher used before (moby's, in Python syntax)."""
    out = ["^"]
    i, n = 0, len(pattern)
    regexp = False
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                out.append(".*" if i >= n else "(.*/)?")
            else:
                out.append("[^/]*")
            regexp = True
        elif ch == "?":
            out.append("[^/]")
            regexp = True
        elif ch in ".+()|{}$":
            out.append("\\" + ch)
        elif ch in "[]":
            out.append(ch)
            regexp = True
        else:
            out.append(ch)
    return re.compile("".join(out) + r"\Z", re.S) if regexp else None


@settings(max_examples=300, deadline=None, database=None)
@given(
    pattern=st.lists(
        st.sampled_from(["a", "b", "/", "*", "?", ".", "[ab]", "[^a]"]), min_size=1, max_size=8
    ).map("".join),
    path=st.lists(st.text(st.sampled_from("ab."), min_size=1, max_size=4), min_size=1, max_size=4).map(
        "/".join
    ),
)
def test_same_language_as_the_regex_translation(pattern: str, path: str) -> None:
    compiled = Pattern.compile(pattern)
    if compiled.match_type != "regexp" or compiled.text != pattern:
        return  # cleaned or not a glob: matched by string comparison, unchanged
    oracle = _oracle(pattern)
    assert oracle is not None
    assert compiled.match(path) == (oracle.match(path) is not None), (pattern, path)
