"""Tests for DG032 file-deleted-in-later-layer (dg032_file_deleted_in_later_layer)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg032_file_deleted_in_later_layer import FileDeletedInLaterLayer

OPTIONS: dict[str, object] = {}

CATCHES = [
    (
        "download-later-rm",
        "FROM debian:bookworm-slim\nRUN wget -q -O /tmp/a.tgz https://x/a.tgz\nRUN rm /tmp/a.tgz\n",
        [3],
    ),
    (
        "copy-then-rm",
        "FROM debian:bookworm-slim\nCOPY big.tar /tmp/\nRUN tar xf /tmp/big.tar && rm /tmp/big.tar\n",
        [3],
    ),
    (
        "apt-lists-later",
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/*\n",
        [3],
    ),
    (
        "workdir-relative",
        "FROM debian:bookworm-slim\nWORKDIR /src\nRUN curl -fsSLO https://x/a.zip\nRUN rm a.zip\n",
        [4],
    ),
    ("copied-tree", "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN rm -rf tests\n", [4]),
    (
        "git-clone",
        "FROM debian:bookworm-slim\nRUN git clone https://x/repo.git /opt/repo\nRUN rm -rf /opt/repo/.git\n",
        [3],
    ),
]

DOES_NOT_CATCH = [
    (
        "same-run",
        "FROM debian:bookworm-slim\nRUN wget -q -O /tmp/a https://x && tar xf /tmp/a && rm /tmp/a\n",
    ),
    (
        "download-then-rm-in-copied-tree",
        "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN wget -q https://x/a.tgz && rm a.tgz\n",
    ),
    (
        "cache-mount",
        "FROM debian:bookworm-slim\nRUN wget -q -O /c/a https://x\nRUN --mount=type=cache,target=/c rm /c/a\n",
    ),
    ("never-created", "FROM debian:bookworm-slim\nRUN rm -rf /tmp/*\n"),
    ("other-stage", "FROM debian:bookworm-slim\nCOPY a /tmp/a\nFROM debian:bookworm-slim\nRUN rm /tmp/a\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(FileDeletedInLaterLayer, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG032" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(FileDeletedInLaterLayer, text, options=OPTIONS) == []
