"""Tests for DG024 pointless-command-in-container (dg024_pointless_command_in_container)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg024_pointless_command_in_container import PointlessCommandInContainer

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("service-restart", "FROM debian:bookworm-slim\nRUN service nginx restart\n", [2]),
    ("vim", "FROM debian:bookworm-slim\nRUN vim /etc/x\n", [2]),
    ("systemctl", "FROM debian:bookworm-slim\nRUN systemctl enable x\n", [2]),
]

DOES_NOT_CATCH = [
    ("service-seed", "FROM debian:bookworm-slim\nRUN service postgresql start && psql -f init.sql\n"),
    ("kill-own", "FROM debian:bookworm-slim\nRUN server & sleep 1; kill $!\n"),
    ("install-vim", "FROM debian:bookworm-slim\nRUN apt-get install -y vim\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(PointlessCommandInContainer, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG024" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(PointlessCommandInContainer, text, options=OPTIONS) == []
