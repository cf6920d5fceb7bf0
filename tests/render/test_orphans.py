"""Generated files that no declared image renders any more: ``render --check`` reports them (exit 1) and
``render`` removes them, but only files generated from this build file — never hand-written files, files of
another build file, or another project's files in a subdirectory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HEAD = """\
import dockgen
from dockgen import Image, Stage


def image(name, **kw):
    return Image(name=name, version="1.0.0", stages=[Stage(base="busybox:1.35", steps=[dockgen.User("1000")])], **kw)

"""
TAIL = """
if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
"""


def write_build_file(project: Path, images: str) -> None:
    (project / "build_images.py").write_text(HEAD + f"images = [{images}]\n" + TAIL, encoding="utf-8")


def dockgen(
    project: Path, *args: str, build_file: str = "build_images.py"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("DOCKGEN_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "dockgen", "-f", build_file, *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


ALL = (
    'image("a", dockerfile="a.Dockerfile"), image("b", dockerfile="b.Dockerfile"), image("c", context="svc")'
)


def test_removed_images_files_are_reported_then_removed(tmp_path: Path) -> None:
    write_build_file(tmp_path, ALL)
    assert dockgen(tmp_path, "render").returncode == 0
    for name in ("a.Dockerfile", "b.Dockerfile", ".dockerignore", "svc/Dockerfile", "svc/.dockerignore"):
        assert (tmp_path / name).is_file(), name
    # files that must survive: hand-written, generated from another build file, another project's
    (tmp_path / "Dockerfile.old").write_text("FROM busybox:1.35\n", encoding="utf-8")
    (tmp_path / "other.py").write_text(
        (tmp_path / "build_images.py")
        .read_text()
        .replace('dockerfile="a.Dockerfile"', 'dockerfile="x.Dockerfile"')
        .replace('image("b", dockerfile="b.Dockerfile"), image("c", context="svc")', ""),
        encoding="utf-8",
    )
    assert dockgen(tmp_path, "render", "--no-dockerignore", build_file="other.py").returncode == 0
    assert "from other.py" in (tmp_path / "x.Dockerfile").read_text()
    sub = tmp_path / "team"
    sub.mkdir()
    write_build_file(sub, 'image("t")')
    assert dockgen(sub, "render").returncode == 0

    write_build_file(tmp_path, 'image("a", dockerfile="a.Dockerfile")')  # b and c removed
    check = dockgen(tmp_path, "render", "--check")
    assert check.returncode == 1, check.stdout + check.stderr
    orphaned = sorted(
        line.split(":")[0] for line in check.stdout.splitlines() if line.startswith("orphaned ")
    )
    assert orphaned == [
        "orphaned b.Dockerfile",
        f"orphaned {os.path.join('svc', '.dockerignore')}",
        f"orphaned {os.path.join('svc', 'Dockerfile')}",
    ]
    assert "out of date or orphaned" in check.stderr
    assert (tmp_path / "b.Dockerfile").is_file()  # --check writes and removes nothing

    selected = dockgen(tmp_path, "render", "--image", "a", "--check")
    assert "orphaned" not in selected.stdout  # a selection cannot tell what is orphaned

    res = dockgen(tmp_path, "render")
    assert res.returncode == 0, res.stderr
    assert "removed b.Dockerfile" in res.stdout
    assert not (tmp_path / "b.Dockerfile").exists()
    assert (
        not (tmp_path / "svc" / "Dockerfile").exists() and not (tmp_path / "svc" / ".dockerignore").exists()
    )
    for kept in ("a.Dockerfile", ".dockerignore", "Dockerfile.old", "x.Dockerfile", "team/Dockerfile"):
        assert (tmp_path / kept).is_file(), kept
    assert dockgen(tmp_path, "render", "--check").returncode == 0
    assert dockgen(sub, "render", "--check").returncode == 0


def test_a_hand_edited_file_that_lost_its_header_is_not_removed(tmp_path: Path) -> None:
    write_build_file(tmp_path, ALL)
    assert dockgen(tmp_path, "render").returncode == 0
    (tmp_path / "b.Dockerfile").write_text("# my own now\nFROM busybox:1.35\n", encoding="utf-8")
    write_build_file(tmp_path, 'image("a", dockerfile="a.Dockerfile"), image("c", context="svc")')
    res = dockgen(tmp_path, "render")
    assert res.returncode == 0 and "removed" not in res.stdout
    assert (tmp_path / "b.Dockerfile").read_text() == "# my own now\nFROM busybox:1.35\n"
    assert dockgen(tmp_path, "render", "--check").returncode == 0
