"""The shipped pre-commit hooks, for real: ``pre-commit try-repo <this repo> <hook>`` in a scratch git repo.

pre-commit builds a real virtualenv from this repository (pip reaches PyPI), so this is slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit not installed"),
]


def test_hooks_file_declares_both_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"dockgen-lint", "dockgen-render-check"}
    assert hooks["dockgen-lint"]["types"] == ["dockerfile"]
    assert hooks["dockgen-lint"]["language"] == "python"
    assert hooks["dockgen-render-check"]["pass_filenames"] is False


@pytest.mark.parametrize(
    ("name", "matched"),
    [
        ("Dockerfile", True),
        ("Containerfile", True),
        ("api.Dockerfile", True),
        ("Dockerfile.dev", True),
        ("build_images.py", False),
        ("README.md", False),
    ],
)
def test_identify_maps_dockerfile_names(name: str, matched: bool) -> None:
    from identify.identify import tags_from_filename

    assert ("dockerfile" in tags_from_filename(name)) is matched


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "project"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")
    return repo


def _try(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_dockgen_lint_hook(tmp_path: Path, pre_commit_home: Path) -> None:
    bad = _repo(tmp_path / "bad", {"svc/api.Dockerfile": "FROM python:3.12-slim\nADD app.py /app/\n"})
    proc = _try(bad, "dockgen-lint", pre_commit_home)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "svc/api.Dockerfile:2:1 DG100" in proc.stdout

    good = _repo(
        tmp_path / "good",
        {
            "Dockerfile": "FROM python:3.12-slim@sha256:" + "a" * 64 + "\nCOPY app.py /app/\nUSER 10001\n"
            'HEALTHCHECK CMD ["python", "-c", "print(1)"]\nCMD ["python", "/app/app.py"]\n',
            ".dockerignore": ".git\n.env\n__pycache__\n.venv\nnode_modules\n",
            "dockgen.toml": "failure-threshold = 'warning'\n",
            "app.py": "print(1)\n",
        },
    )
    proc = _try(good, "dockgen-lint", pre_commit_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


BUILD = """\
import dockgen
from dockgen.models import Copy, Image, Stage

images = [Image("app", context=".", stages=[Stage(base="python:3.12-slim", steps=[Copy("app.py", "{dest}")])])]

if __name__ == "__main__":
    dockgen.main(images)
"""


def test_dockgen_render_check_hook(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = _repo(tmp_path, {"build_images.py": BUILD.format(dest="/app/"), "app.py": "print(1)\n"})
    rendered = subprocess.run(["dockgen", "render"], cwd=repo, capture_output=True, text=True)
    if rendered.returncode != 0:
        pytest.skip(f"dockgen render cannot render the sample declaration: {rendered.stderr.strip()}")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "rendered")
    proc = _try(repo, "dockgen-render-check", pre_commit_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    (repo / "build_images.py").write_text(BUILD.format(dest="/srv/"))
    _git(repo, "add", "-A")
    proc = _try(repo, "dockgen-render-check", pre_commit_home)
    assert proc.returncode == 1, proc.stdout + proc.stderr
