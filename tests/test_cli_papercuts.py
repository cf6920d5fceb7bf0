"""What a new user meets in the first hour, run as they run it (real processes, real files): a typo in a
declaration, a build file that exits or raises, options after the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TYPO_BUILD_FILE = """\
import dockgen
from dockgen import Image, Stage

images = [
    Image(
        name="web",
        namspace="frontend",
        version="1.0.0",
        stages=[Stage(base="debian:bookworm", steps=[dockgen.User("10001")])],
    )
]

if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
"""


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("DOCKGEN_FILE", None)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_field_typo_is_the_same_clean_error_run_as_a_script_or_by_dockgen(tmp_path: Path) -> None:
    (tmp_path / "build_images.py").write_text(TYPO_BUILD_FILE, encoding="utf-8")
    as_script = run(["build_images.py", "render"], tmp_path)
    by_dockgen = run(["-m", "dockgen", "-f", "build_images.py", "render"], tmp_path)
    for res in (as_script, by_dockgen):
        assert res.returncode == 1
        assert "Traceback" not in res.stderr
        assert res.stderr.startswith("error: build_images.py:5: Image(...).namspace:"), res.stderr
        assert "did you mean `namespace`?" in res.stderr
    assert as_script.stderr == by_dockgen.stderr
    assert not (tmp_path / "Dockerfile").exists()


def test_typo_in_a_nested_dict_suggests_that_models_field() -> None:
    from dockgen import Run
    from dockgen.errors import DeclarationError

    with pytest.raises(DeclarationError, match=r"mounts\[0\]\.targt: .*did you mean `target`\?"):
        Run("make", mounts=[{"type": "cache", "targt": "/root/.cache"}])
    with pytest.raises(DeclarationError) as info:
        Run("make", zzzzz=1)
    assert "did you mean" not in str(info.value)  # nothing close: no guess


def test_usage_error_raised_at_the_top_of_a_script_keeps_exit_code_2(tmp_path: Path) -> None:
    (tmp_path / "b.py").write_text(
        "import dockgen\nfrom dockgen.errors import UsageError\nraise UsageError('bad flag', hint='try --help')\n",
        encoding="utf-8",
    )
    res = run(["b.py"], tmp_path)
    assert res.returncode == 2
    assert res.stderr == "error: bad flag\n  hint: try --help\n"


def test_other_exceptions_in_a_script_keep_their_traceback(tmp_path: Path) -> None:
    (tmp_path / "b.py").write_text("import dockgen\nraise RuntimeError('mine')\n", encoding="utf-8")
    res = run(["b.py"], tmp_path)
    assert res.returncode == 1
    assert "Traceback" in res.stderr and "RuntimeError: mine" in res.stderr


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            'sys.exit("DEPLOY_TOKEN is not set")',
            "b.py: exited before declaring images: DEPLOY_TOKEN is not set",
        ),
        ("sys.exit(4)", "b.py: exited with status 4 before declaring images"),
        ("sys.exit()", "b.py: exited (status 0) before declaring images"),
    ],
)
def test_sys_exit_in_a_build_file(tmp_path: Path, code: str, expected: str) -> None:
    (tmp_path / "b.py").write_text(f"import sys\n{code}\n", encoding="utf-8")
    res = run(["-m", "dockgen", "-f", "b.py", "plan"], tmp_path)
    assert res.returncode == 1
    assert res.stderr.splitlines()[0] == f"error: {expected}"


def test_base_exception_subclass_in_a_build_file_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "b.py").write_text(
        "class Halt(BaseException):\n    pass\n\n\nraise Halt('stop here')\n", encoding="utf-8"
    )
    res = run(["-m", "dockgen", "-f", "b.py", "plan"], tmp_path)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert res.stderr.splitlines()[0] == "error: b.py:5: Halt: stop here"


def test_global_options_after_the_command(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian:latest\nUSER 1000\n", encoding="utf-8")
    res = run(["-m", "dockgen", "lint", "--no-color", "Dockerfile"], tmp_path)
    assert res.returncode == 1, res.stderr  # findings, not a usage error
    assert "DG002" in res.stdout and "\x1b[" not in res.stdout
    (tmp_path / "other.py").write_text("import sys\nsys.exit('from other.py')\n", encoding="utf-8")
    before = run(["-m", "dockgen", "-f", "other.py", "plan"], tmp_path)
    after = run(["-m", "dockgen", "plan", "-f", "other.py"], tmp_path)
    assert before.returncode == after.returncode == 1
    assert "from other.py" in after.stderr and before.stderr == after.stderr


def test_usage_error_names_the_commands_help(tmp_path: Path) -> None:
    res = run(["-m", "dockgen", "lint", "--bogus"], tmp_path)
    assert res.returncode == 2
    assert "dockgen lint: unrecognized arguments: --bogus" in res.stderr
    assert "hint: run `dockgen lint --help`" in res.stderr
    res = run(["-m", "dockgen", "--bogus"], tmp_path)
    assert res.returncode == 2 and "hint: run `dockgen --help`" in res.stderr
