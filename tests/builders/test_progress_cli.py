"""The progress output of a real ``dockgen build`` process: live view on a terminal, timestamped lines in CI
or through a pipe, JSON lines with ``--json``."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.infra import require_buildx, require_engine

pytestmark = [pytest.mark.docker, pytest.mark.buildx]

BUILD_FILE = """\
from dockgen.models import Image, Run, Stage

images = [Image("live-view", namespace="dockgen-test", version="1.0.0",
                stages=[Stage(base="busybox", steps=[Run("echo {nonce} && sleep 1.5")])])]
"""


@pytest.fixture
def build_file(tmp_path: Path) -> Path:
    require_engine()
    require_buildx()
    path = tmp_path / "build_images.py"
    path.write_text(BUILD_FILE.format(nonce=uuid.uuid4().hex))  # never cached: the view has work to show
    return path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TERM")}
    return {**env, "TERM": "xterm", "COLUMNS": "120", **extra}


def _argv(build_file: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dockgen", "-f", str(build_file), "build", "--no-skip", *extra]


def test_live_view_on_a_terminal(build_file: Path) -> None:
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        _argv(build_file), stdin=secondary, stdout=secondary, stderr=secondary, env=_env(), close_fds=True
    )
    os.close(secondary)
    chunks: list[bytes] = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(primary)
    assert proc.wait(timeout=120) == 0
    out = b"".join(chunks).decode(errors="replace")
    assert "\x1b[1A\x1b[2K" in out, "the table is redrawn in place"
    rows = [r for r in re.split(r"\x1b\[[0-9]*[A-Z]|\r|\n", out) if "live-view" in r]
    building = [r for r in rows if re.search(r"live-view\s+building\s+\d+\.\ds\s+\[\d/\d\] RUN echo", r)]
    assert building, "\n".join(rows[-10:])  # name, status, elapsed time and the current step
    assert any(re.search(r"✔ live-view\s+done\s+\d+\.\ds\s+built", r) for r in rows), "\n".join(rows[-10:])
    assert not re.search(r"^\d\d:\d\d:\d\d ", out, re.MULTILINE), "no plain lines on a terminal"


@pytest.mark.parametrize("where", ["ci-on-a-terminal", "pipe"])
def test_plain_lines_in_ci_or_pipe(build_file: Path, where: str) -> None:
    if where == "pipe":
        done = subprocess.run(_argv(build_file), capture_output=True, text=True, env=_env(), timeout=120)
        err = done.stderr
    else:
        primary, secondary = pty.openpty()
        proc = subprocess.Popen(
            _argv(build_file),
            stdin=secondary,
            stdout=subprocess.DEVNULL,
            stderr=secondary,
            env=_env(CI="true"),
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(primary)
        assert proc.wait(timeout=120) == 0
        err = b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")
    assert "\x1b[" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    stamped = [line for line in lines if re.match(r"\d\d:\d\d:\d\d \[live-view\] ", line)]
    assert len(stamped) > 5, err
    assert any(re.search(r"\[live-view\] #\d+ \[\d/\d\] RUN echo", line) for line in stamped)
    assert any(re.search(r"\[live-view\] done: built \(\d+\.\ds\)", line) for line in stamped)


def test_json_events_are_json_lines(build_file: Path) -> None:
    done = subprocess.run(
        _argv(build_file, "--json"), capture_output=True, text=True, env=_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]  # every line is JSON
    states = [e["status"] for e in events if e["event"] == "state"]
    assert states[0] == "checking" and states[-1] == "done"
    assert all(
        isinstance(e["time"], float) and e["image"] == "live-view" for e in events if e["event"] != "note"
    )
    assert json.loads(done.stdout)["images"][0]["status"] == "built"
