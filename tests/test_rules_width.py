"""``dockgen rules`` fits the terminal: in a real pseudo-terminal of a given width, with ``$COLUMNS``, and
unclipped when piped (so ``grep`` sees whole summaries)."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return {**env, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **extra}


def _in_terminal(columns: int) -> list[str]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "dockgen", "rules"], stdout=slave, stderr=slave, env=_env(), close_fds=True
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode().replace("\r\n", "\n").splitlines()


def _codes(lines: list[str]) -> set[str]:
    return {line.split()[0] for line in lines if line.startswith("DG")}


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
def test_fits_the_terminal(columns: int) -> None:
    lines = _in_terminal(columns)
    assert len(_codes(lines)) > 50
    too_wide = [line for line in lines if len(line) > columns]
    assert not too_wide, too_wide[:3]


def test_columns_variable_and_pipe() -> None:
    run = lambda **env: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "dockgen", "rules"],
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=60,
    ).stdout.splitlines()
    narrow = run(COLUMNS="100")
    assert max(len(line) for line in narrow) <= 100
    piped = run()
    assert _codes(piped) == _codes(narrow)
    assert max(len(line) for line in piped) > 200  # whole summaries when the output is not a terminal
    wide = next(line for line in run(COLUMNS="160") if line.startswith("DG028"))
    assert "CKV2_DOCKER_2,+9" in wide and wide.endswith("...")  # long cells are shortened, visibly
