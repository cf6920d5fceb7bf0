"""Tests for DG019 consecutive-run-instructions (dg019_consecutive_run_instructions)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg019_consecutive_run_instructions import ConsecutiveRunInstructions

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("two", "FROM debian:bookworm-slim\nRUN a\nRUN b\n", [3]),
    ("three-one-finding", "FROM debian:bookworm-slim\nRUN a\nRUN b\nRUN c\n", [3]),
    (
        "same-mounts",
        "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/c a\nRUN --mount=type=cache,target=/c b\n",
        [3],
    ),
]

DOES_NOT_CATCH = [
    ("env-between", "FROM debian:bookworm-slim\nRUN a\nENV X=1\nRUN b\n"),
    ("different-mounts", "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/c a\nRUN b\n"),
    ("heredoc", "FROM debian:bookworm-slim\nRUN <<EOF\na\nEOF\nRUN b\n"),
    ("exec-form", 'FROM debian:bookworm-slim\nRUN ["a"]\nRUN b\n'),
    ("commented-step", "FROM debian:bookworm-slim\nRUN a\n# build the app\nRUN b\n"),
    ("other-stage", "FROM debian:bookworm-slim\nRUN a\nFROM alpine:3\nRUN b\n"),
    ("trailing-comment", "FROM debian:bookworm-slim\nRUN a # note\nRUN b\n"),
    ("background-job", "FROM debian:bookworm-slim\nRUN sleep 5 &\nRUN b\n"),
    ("background-job-inside", "FROM debian:bookworm-slim\nRUN a & b\nRUN c\n"),
    ("powershell", 'FROM debian:bookworm-slim\nSHELL ["pwsh", "-Command"]\nRUN a\nRUN b\n'),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(ConsecutiveRunInstructions, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG019" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(ConsecutiveRunInstructions, text, options=OPTIONS) == []


FIXES = [
    (
        "join",
        "FROM debian:bookworm-slim\nRUN a\nRUN b\nRUN c\n",
        "FROM debian:bookworm-slim\nRUN a && b && c\n",
    ),
    (
        "trailing-semicolon",
        "FROM debian:bookworm-slim\nRUN a;\nRUN b\n",
        "FROM debian:bookworm-slim\nRUN a && b\n",
    ),
    # a later part's ``;`` list and ``|| true`` are grouped: the earlier failure still stops the build
    (
        "later-list-grouped",
        "FROM busybox\nRUN false\nRUN echo a; echo b\nRUN rm -f /x || true\n",
        "FROM busybox\nRUN false && { echo a; echo b; } && { rm -f /x || true; }\n",
    ),
    # state of an earlier RUN does not reach the later ones: subshell
    (
        "cd-isolated",
        "FROM busybox\nRUN cd /tmp && touch a\nRUN touch b\n",
        "FROM busybox\nRUN ( cd /tmp && touch a ) && touch b\n",
    ),
    (
        "export-isolated",
        "FROM busybox\nRUN export X=1\nRUN echo $X\n",
        "FROM busybox\nRUN ( export X=1 ) && echo $X\n",
    ),
    (
        "loop-variable-isolated",
        "FROM busybox\nRUN for i in 1 2; do echo $i; done\nRUN echo $i\n",
        "FROM busybox\nRUN ( for i in 1 2; do echo $i; done ) && echo $i\n",
    ),
    (
        "function-isolated",
        "FROM busybox\nRUN f() { echo hi; }; f\nRUN f || echo none\n",
        "FROM busybox\nRUN ( f() { echo hi; }; f ) && { f || echo none; }\n",
    ),
    # the last part's state reaches nothing: grouped only for its ``;``
    (
        "set-e-last",
        "FROM busybox\nRUN a\nRUN set -e; b; c\n",
        "FROM busybox\nRUN a && { set -e; b; c; }\n",
    ),
    # the file's layout survives: trailing ``&& \``, comments and one package per line
    (
        "trailing-style",
        "FROM busybox\nRUN apk update && \\\n    apk add \\\n      # tools\n      curl \\\n      jq\nRUN echo done\n",
        "FROM busybox\nRUN apk update && \\\n    apk add \\\n      # tools\n      curl \\\n      jq && \\\n    echo done\n",
    ),
    (
        "leading-style-tabs",
        "FROM busybox\nRUN a \\\n\t&& b\nRUN cd /x \\\n\t&& make\nRUN echo done\n",
        "FROM busybox\nRUN a \\\n\t&& b \\\n\t&& ( cd /x \\\n\t&& make ) \\\n\t&& echo done\n",
    ),
]


NO_FIX = [
    # set -e is ignored inside a group that is not the last command of an && list: no join behaves the same
    ("set-e-earlier", "FROM busybox\nRUN set -e; false; echo x\nRUN echo y\n"),
    ("shell-errexit", 'FROM busybox\nSHELL ["/bin/sh", "-ec"]\nRUN false; echo x\nRUN echo y\n'),
]


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in NO_FIX])
def test_reported_without_fix(text: str) -> None:
    findings = run(ConsecutiveRunInstructions, text, options=OPTIONS)
    assert len(findings) == 1
    assert findings[0].fix is None
    assert "no automatic fix" in findings[0].message


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(ConsecutiveRunInstructions, before, options=OPTIONS) == after
