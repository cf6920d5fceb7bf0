"""``--image X`` asks the registries only about what the run pushes, and the "no existing tags" note is said
once per run. Real registries: the plain one on 127.0.0.1:5000, and 127.0.0.1:9 where nothing listens."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support import infra

ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "127.0.0.1:9"  # the discard port: connection refused


def build_file(tmp_path: Path, namespace: str, *, c_from_a: bool = False) -> Path:
    c_base = f'"{NOWHERE}/{namespace}/a:1.0.0"' if c_from_a else '"busybox:1.35"'
    (tmp_path / "build_images.py").write_text(
        f"""\
import dockgen
from dockgen import Image, Stage

def image(name, registry, base="busybox:1.35"):
    return Image(
        name=name, registry=registry, namespace={namespace!r}, version="1.0.0", dockerfile=f"{{name}}.Dockerfile",
        stages=[Stage(base=base, steps=[dockgen.User("1000")])],
    )

images = [
    image("a", {NOWHERE!r}),
    image("b", {infra.PLAIN_REGISTRY!r}),
    image("c", {infra.PLAIN_REGISTRY!r}, base={c_base}),
]
if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
""",
        encoding="utf-8",
    )
    return tmp_path


def dockgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("DOCKGEN_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "dockgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.registry
def test_image_selection_does_not_query_unselected_images(tmp_path: Path) -> None:
    infra.require_registry(infra.PLAIN_REGISTRY)
    project = build_file(tmp_path, f"i8sel-{uuid.uuid4().hex[:8]}")
    assert dockgen(project, "render").returncode == 0
    res = dockgen(project, "plan", "--push", "--image", "b")
    assert res.returncode == 0, res.stderr
    assert NOWHERE not in res.stdout + res.stderr
    assert f"push {infra.PLAIN_REGISTRY}/" in res.stdout
    # the whole project does ask about a's registry, and fails closed there
    res = dockgen(project, "plan", "--push")
    assert res.returncode == 1
    assert f"could not list the tags of {NOWHERE}/" in res.stderr


@pytest.mark.registry
def test_a_selected_images_dependencies_are_queried(tmp_path: Path) -> None:
    infra.require_registry(infra.PLAIN_REGISTRY)
    project = build_file(tmp_path, f"i8sel-{uuid.uuid4().hex[:8]}", c_from_a=True)
    assert dockgen(project, "render").returncode == 0
    res = dockgen(project, "plan", "--push", "--image", "c")  # c builds FROM a, so a is pushed too
    assert res.returncode == 1
    assert f"could not list the tags of {NOWHERE}/" in res.stderr


def test_no_existing_tags_note_is_said_once(tmp_path: Path) -> None:
    project = build_file(tmp_path, "i8note")
    res = dockgen(project, "tags")
    assert res.returncode == 0, res.stderr
    notes = [line for line in res.stderr.splitlines() if line.startswith("note: no existing tags given")]
    assert notes == [
        "note: no existing tags given for 3 images: 'latest' and the short tags assume this is the highest "
        "release (pass --existing TAG,... or --existing-from-registry)"
    ]
    res = dockgen(project, "tags", "--image", "b")
    assert "note: no existing tags given for 127.0.0.1:5000/i8note/b:" in res.stderr
    res = dockgen(project, "tags", "--existing", "0.9.0")
    assert "no existing tags given" not in res.stderr
