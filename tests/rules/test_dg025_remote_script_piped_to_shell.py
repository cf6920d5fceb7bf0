"""Tests for DG025 remote-script-piped-to-shell (dg025_remote_script_piped_to_shell)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg025_remote_script_piped_to_shell import RemoteScriptPipedToShell

OPTIONS: dict[str, object] = {}

CATCHES = [
    ("curl-sh", "FROM debian:bookworm-slim\nRUN curl -fsSL https://x/install.sh | sh\n", [2]),
    ("wget-bash", "FROM debian:bookworm-slim\nRUN wget -qO- https://x | bash -s -- -y\n", [2]),
    (
        "python",
        "FROM debian:bookworm-slim\nRUN curl -sSL https://install.python-poetry.org | python3 -\n",
        [2],
    ),
    ("sudo-sh", "FROM debian:bookworm-slim\nRUN curl -sL https://x | sudo bash\n", [2]),
    ("subst", 'FROM debian:bookworm-slim\nRUN sh -c "$(curl -fsSL https://x)"\n', [2]),
    ("procsubst", "FROM debian:bookworm-slim\nRUN bash <(curl -s https://x)\n", [2]),
]

DOES_NOT_CATCH = [
    (
        "download-verify",
        "FROM debian:bookworm-slim\nRUN curl -fsSLo /tmp/i.sh https://x && sha256sum -c s && sh /tmp/i.sh\n",
    ),
    ("curl-tar", "FROM debian:bookworm-slim\nRUN curl -fsSL https://x | tar -xz\n"),
    ("curl-jq", "FROM debian:bookworm-slim\nRUN curl -s https://x | jq .\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(RemoteScriptPipedToShell, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG025" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(RemoteScriptPipedToShell, text, options=OPTIONS) == []
