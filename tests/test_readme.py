"""The README's quick start runs as written: its ``build_images.py`` block is executed for real in a temporary
project with the commands its shell block lists (``build --push`` is covered by the build tests).

So the README cannot rot: change the example or a command's output and this test says which line broke.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def _quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Quick start")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _blocks(lang: str) -> list[str]:
    return [body for kind, body in _FENCE.findall(_quick_start()) if kind == lang]


def _build_file_source() -> str:
    found = [b for b in _blocks("python") if "dockgen.main(images)" in b]
    assert len(found) == 1, "the quick start shows exactly one build_images.py ending in dockgen.main(images)"
    return found[0]


def _shell_lines() -> list[tuple[str, str]]:
    """(command, trailing comment) for each `python build_images.py ...` / `dockgen ...` line."""
    out = []
    for block in _blocks("bash"):
        for line in block.splitlines():
            command, _, comment = line.partition("#")
            command = command.strip()
            if command.startswith(("python build_images.py", "dockgen ")):
                out.append((command, comment.strip()))
    return out


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("DOCKGEN_FILE", None)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def quick_start(tmp_path: Path) -> Path:
    (tmp_path / "build_images.py").write_text(_build_file_source(), encoding="utf-8")
    (tmp_path / "app.py").write_text('print("hello")\n', encoding="utf-8")
    return tmp_path


def _command(prefix: str) -> tuple[list[str], str]:
    """The README line starting with ``prefix`` as argv for ``python`` (and its comment)."""
    for command, comment in _shell_lines():
        if command == prefix or command.startswith(prefix + " "):
            words = command.split()
            if words[0] == "python":
                return words[1:], comment
            return ["-m", "dockgen", *words[1:]], comment
    raise AssertionError(f"the README quick start no longer shows `{prefix}`")


def test_quick_start_lists_the_commands() -> None:
    shown = [c for c, _ in _shell_lines()]
    for expected in (
        "python build_images.py render",
        "python build_images.py render --check",
        "python build_images.py lint",
        "python build_images.py tags",
        "python build_images.py plan",
        "python build_images.py build --push",
        "dockgen lint Dockerfile --fix",
    ):
        assert expected in shown, f"{expected!r} missing from the quick start: {shown}"


def test_quick_start_walkthrough(quick_start: Path) -> None:
    argv, _ = _command("python build_images.py render")
    res = _run(argv, quick_start)
    assert res.returncode == 0, res.stderr
    assert (quick_start / "Dockerfile").is_file() and (quick_start / ".dockerignore").is_file()
    first = (quick_start / "Dockerfile").read_bytes()

    argv, _ = _command("python build_images.py render --check")
    res = _run(argv, quick_start)
    assert res.returncode == 0, f"fresh render is stale?\n{res.stdout}{res.stderr}"

    # deterministic: rendering again writes the same bytes
    _run(_command("python build_images.py render")[0], quick_start)
    assert (quick_start / "Dockerfile").read_bytes() == first

    # stale output is caught with exit 1 and a diff
    (quick_start / "Dockerfile").write_bytes(first + b"# hand edit\n")
    res = _run(_command("python build_images.py render --check")[0], quick_start)
    assert res.returncode == 1 and "hand edit" in res.stdout + res.stderr
    _run(_command("python build_images.py render")[0], quick_start)

    argv, _ = _command("python build_images.py lint")
    res = _run(argv, quick_start)
    # the example is meant to be a good one: its declaration and rendered Dockerfile lint clean
    assert res.returncode == 0, f"the README example has lint findings:\n{res.stdout}{res.stderr}"

    argv, comment = _command("python build_images.py tags")
    res = _run(argv, quick_start)
    assert res.returncode == 0, res.stderr
    printed = res.stdout.split()
    promised = [t.strip() for t in comment.split(",")]
    repo = printed[0].rsplit(":", 1)[0]
    # the comment writes the first reference in full and the others as ':tag'
    expected = [promised[0]] + [repo + t for t in promised[1:]]
    assert printed == expected, f"README says {comment!r}, tags printed {printed}"

    argv, _ = _command("python build_images.py plan")
    res = _run(argv, quick_start)
    assert res.returncode == 0, res.stderr
    for ref in printed:
        assert ref in res.stdout, f"plan does not show {ref}\n{res.stdout}"
    assert "nothing was built or pushed" in res.stdout + res.stderr


def test_quick_start_lint_fix_and_import_round_trip(quick_start: Path) -> None:
    assert _run(_command("python build_images.py render")[0], quick_start).returncode == 0

    argv, _ = _command("dockgen lint Dockerfile --fix")
    res = _run(argv, quick_start)
    assert res.returncode in (0, 1), res.stderr
    assert "Traceback" not in res.stdout + res.stderr

    # `dockgen import Dockerfile > build_images.py`, then render the imported declaration
    command = next(c for c, _ in _shell_lines() if c.startswith("dockgen import"))
    assert command.split(">")[0].split() == ["dockgen", "import", "Dockerfile"]
    res = _run(["-m", "dockgen", "import", "Dockerfile"], quick_start)
    assert res.returncode == 0, res.stderr
    before = (quick_start / "Dockerfile").read_text(encoding="utf-8")
    (quick_start / "build_images.py").write_text(res.stdout, encoding="utf-8")
    res = _run(["build_images.py", "render"], quick_start)
    assert res.returncode == 0, res.stderr
    after = (quick_start / "Dockerfile").read_text(encoding="utf-8")
    # the same instructions come back (only the header comment names the new image)
    strip = [ln for ln in before.splitlines() if not ln.startswith("#")]
    assert [ln for ln in after.splitlines() if not ln.startswith("#")] == strip
    assert _run(["build_images.py", "render", "--check"], quick_start).returncode == 0
