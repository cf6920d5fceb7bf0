"""Tests for DG021 pipe-without-pipefail (dg021_pipe_without_pipefail)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg021_pipe_without_pipefail import PipeWithoutPipefail

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("pipe", "FROM debian:bookworm-slim\nRUN wget -O- https://x | tar xz\n", [2]),
    ("pipe-after-set-e", "FROM debian:bookworm-slim\nRUN set -e; a | b\n", [2]),
    (
        "pipe-in-substitution",
        "FROM debian:bookworm-slim\nRUN V=$(curl -fsSL https://x | jq -r .tag) && echo $V\n",
        [2],
    ),
    ("pipe-in-backticks", "FROM debian:bookworm-slim\nRUN echo `cat /etc/os-release | head -1`\n", [2]),
    ("pipe-in-quoted-substitution", 'FROM debian:bookworm-slim\nRUN echo "$(a | b)"\n', [2]),
]

DOES_NOT_CATCH = [
    ("shell-pipefail", 'FROM debian:bookworm-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n'),
    ("set-pipefail", "FROM debian:bookworm-slim\nRUN set -o pipefail && a | b\n"),
    ("set-euxo", "FROM debian:bookworm-slim\nRUN set -euxo pipefail; a | b\n"),
    ("or", "FROM debian:bookworm-slim\nRUN a || b\n"),
    ("quoted-pipe", "FROM debian:bookworm-slim\nRUN echo 'a | b'\n"),
    ("single-quoted-substitution", "FROM debian:bookworm-slim\nRUN echo '$(a | b)'\n"),
    ("substitution-without-pipe", "FROM debian:bookworm-slim\nRUN echo $(date) `id -u`\n"),
    ("arithmetic", "FROM debian:bookworm-slim\nRUN echo $((1 | 2))\n"),
    (
        "powershell",
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN a | b\n',
    ),
    (
        "parent-stage-shell",
        'FROM debian:bookworm-slim AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN c | d\n',
    ),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(PipeWithoutPipefail, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG021" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(PipeWithoutPipefail, text, options=OPTIONS) == []


FIXES = [
    (
        "bash",
        "FROM debian:bookworm-slim\nRUN a | b\n",
        'FROM debian:bookworm-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n',
    ),
    (
        "alpine-ash",
        "FROM alpine:3.20\nRUN a | b\n",
        'FROM alpine:3.20\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN a | b\n',
    ),
    # one SHELL per stage, however many RUNs pipe
    (
        "one-shell-per-stage",
        "FROM debian:bookworm-slim\nRUN a | b\nRUN c\nRUN d | e\nFROM alpine:3.20\nRUN f | g\nRUN h | i\n",
        'FROM debian:bookworm-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nRUN c\nRUN d | e\n'
        'FROM alpine:3.20\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN f | g\nRUN h | i\n',
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in FIXES])
def test_fix(before: str, after: str) -> None:
    assert fixed(PipeWithoutPipefail, before, options=OPTIONS) == after
