"""Tests for DG037 apt-lists-not-removed (dg037_apt_lists_not_removed)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg037_apt_lists_not_removed import AptListsNotRemoved

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("no-rm", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\n", [2]),
    ("update-only-no-later-install", "FROM debian:bookworm-slim\nRUN apt-get update\nRUN echo hi\n", [2]),
    (
        "later-install-relies",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\nRUN apt-get install -y y\n",
        [2],
    ),
]

DOES_NOT_CATCH = [
    (
        "rm",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "cache-mount",
        "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n",
    ),
    (
        "builder-stage",
        "FROM debian:bookworm-slim AS b\nRUN apt-get update && apt-get install -y x\nFROM debian:bookworm-slim\nCOPY --from=b /x /x\n",
    ),
    ("install-only", "FROM debian:bookworm-slim\nRUN apt-get install -y x\n"),
    # DG038 moves this update into the install RUN: the lists must still be there for the install
    ("update-only-then-install", "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y x\n"),
    (
        "update-only-then-later-install",
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN echo hi\nRUN apt-get install -y x\n",
    ),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(AptListsNotRemoved, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG037" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(AptListsNotRemoved, text, options=OPTIONS) == []


FIXES = [
    (
        "append",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && echo done\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/* && echo done\n",
    ),
    (
        "update-only-no-later-install",
        "FROM debian:bookworm-slim\nRUN apt-get update\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "no-fix-when-later-install-relies",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\nRUN apt-get install -y y\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\nRUN apt-get install -y y\n",
    ),
    (
        "later-install-has-own-update",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\nRUN apt-get update && apt-get install -y y\n",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n"
        "RUN apt-get update && apt-get install -y y && rm -rf /var/lib/apt/lists/*\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(AptListsNotRemoved, before, options=OPTIONS) == after


# The whole fixer (every rule, unsafe fixes included) on update and install in separate RUNs: the update moves
# into the install RUN and the lists are removed after the install, never between update and install.
ALL_RULES = [
    (
        "split-update-install",
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\n",
    ),
    (
        "split-with-later-install",
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt-get install -y jq\n",
    ),
    (
        "install-relies-on-earlier-lists",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y jq\n",
    ),
]


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in ALL_RULES])
def test_all_fixes_keep_lists_until_after_install(text: str, unsafe: bool) -> None:
    from dockgen.lint.config import LintConfig
    from dockgen.lint.engine import Linter
    from dockgen.shell.syntax import commands

    result = Linter(config=LintConfig()).fix_text(text, "Dockerfile", unsafe=unsafe)
    fixed = result.new_text or text
    for line in fixed.replace("\\\n", " ").splitlines():
        if not line.startswith("RUN"):
            continue
        names = [" ".join(w.text for w in c.words[:2]) for c in commands(line[3:])]
        if "rm -rf" in names:
            cut = names.index("rm -rf")
            assert "apt-get install" not in names[cut:], fixed
    assert "rm -rf /var/lib/apt/lists/*" in fixed or not unsafe, fixed


def test_dist_clean_removes_the_lists() -> None:
    text = "FROM debian:trixie\nRUN apt-get update; apt-get install -y --no-install-recommends gnupg; apt-get dist-clean\n"
    assert run(AptListsNotRemoved, text) == []
