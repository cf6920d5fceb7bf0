"""``plan --bake-file`` writes a bake file that ``docker buildx bake`` accepts and builds: ``${`` escaped for
HCL, ``-`` prints to stdout, paths relative to the bake file, rendered Dockerfiles referenced (so the file can
be committed). Checked with the real ``docker buildx bake --print`` and a real bake build of an example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.infra import require_buildx, require_engine

pytestmark = [pytest.mark.docker, pytest.mark.buildx]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "monorepo"


@pytest.fixture
def example(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    require_engine()
    require_buildx()
    root = tmp_path / "monorepo"
    shutil.copytree(EXAMPLE, root)
    registry = f"bake-{uuid.uuid4().hex[:8]}.invalid"  # never contacted: plan --offline, bake loads locally
    return root, {**os.environ, "DOCKGEN_EXAMPLE_REGISTRY": registry}


def dockgen(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockgen", "-f", "build_images.py", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def bake(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", "buildx", "bake", *args], cwd=cwd, capture_output=True, text=True, timeout=900
    )


def remove_images(doc: dict[str, object]) -> None:
    targets = doc["target"]
    assert isinstance(targets, dict)
    refs = [ref for t in targets.values() for ref in t["tags"]]
    subprocess.run(["docker", "image", "rm", "-f", *refs], capture_output=True, check=False)


def test_committable_bake_file_builds_the_example(example: tuple[Path, dict[str, str]]) -> None:
    root, env = example
    proc = dockgen(root, env, "render")  # the committed Dockerfiles, for this registry
    assert proc.returncode == 0, proc.stderr
    (root / "ci").mkdir()
    proc = dockgen(root, env, "plan", "--offline", "--bake-file", "ci/docker-bake.json")
    assert proc.returncode == 0, proc.stderr
    text = (root / "ci" / "docker-bake.json").read_text()
    assert str(root) not in text, "absolute paths: the file cannot be committed"
    doc = json.loads(text)
    base = doc["target"]["monorepo-base"]
    assert base["context"] == "../shared" and base["dockerfile"] == "Dockerfile"
    assert "dockerfile-inline" not in base
    printed = bake(root / "ci", "-f", "docker-bake.json", "--print")
    assert printed.returncode == 0, printed.stderr
    try:
        built = bake(root / "ci", "-f", "docker-bake.json")
        assert built.returncode == 0, built.stderr[-3000:]
        ref = doc["target"]["monorepo-api"]["tags"][0]
        labels = subprocess.run(
            ["docker", "image", "inspect", "--format", "{{json .Config.Labels}}", ref],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert (
            json.loads(labels)["io.dockgen.content-hash"]
            == doc["target"]["monorepo-api"]["labels"]["io.dockgen.content-hash"]
        )
    finally:
        remove_images(doc)


def test_inline_dockerfile_escapes_hcl_and_prints_to_stdout(example: tuple[Path, dict[str, str]]) -> None:
    root, env = example
    (root / "shared" / "Dockerfile").unlink()  # not rendered: the Dockerfile goes inline
    proc = dockgen(root, env, "plan", "--offline", "--bake-file", "-")
    assert proc.returncode == 0, proc.stderr
    assert not (root / "-").exists(), "wrote a file named '-'"
    assert "Dockerfile inlined" in proc.stderr and "plan:" in proc.stderr
    doc = json.loads(proc.stdout)
    assert "$${BASE_IMAGE}" in doc["target"]["monorepo-base"]["dockerfile-inline"]
    (root / "docker-bake.json").write_text(proc.stdout)
    printed = bake(root, "-f", "docker-bake.json", "--print")
    assert printed.returncode == 0, printed.stderr  # was: There is no variable named "BASE_IMAGE"
    shown = json.loads(printed.stdout)
    assert "FROM ${BASE_IMAGE}" in shown["target"]["monorepo-base"]["dockerfile-inline"]
    try:
        built = bake(root, "-f", "docker-bake.json", "monorepo-base")
        assert built.returncode == 0, built.stderr[-3000:]
    finally:
        remove_images(doc)
