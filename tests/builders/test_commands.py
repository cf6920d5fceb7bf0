"""``dockgen build`` / ``push`` / ``plan`` in-process on a real build file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dockgen.cli import main
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry, unique_repo

pytestmark = [pytest.mark.docker, pytest.mark.buildx, pytest.mark.registry]

BUILD_FILE = """\
import dockgen
from dockgen.models import Copy, Image, Run, Stage

base = Image("base", registry="{reg}", namespace="{ns}", version="1.2.3", context="base",
             stages=[Stage(base="busybox", steps=[Copy("data.txt", "/base.txt")])])
app = Image("app", registry="{reg}", namespace="{ns}", version="1.2.3", context="app",
            stages=[Stage(base=base, steps=[Copy("data.txt", "/app.txt"), Run("cat /base.txt /app.txt > /both")])])
tool = Image("tool", registry="{reg}", namespace="{ns}", version="1.2.3", context="tool",
             stages=[Stage(base="busybox", steps=[Copy("data.txt", "/tool.txt")])])
images = [base, app, tool]
"""


@pytest.fixture
def build_file(tmp_path: Path) -> Path:
    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    for name in ("base", "app", "tool"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "data.txt").write_text(f"{name}\n")
    path = tmp_path / "build_images.py"
    path.write_text(BUILD_FILE.format(reg=PLAIN_REGISTRY, ns=unique_repo("cli")))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "i"], cwd=tmp_path, check=True
    )
    return path


def test_plan_build_push_noop(build_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv=["-f", str(build_file), "plan", "--push", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert [(s["image"], s["wave"], s["action"]) for s in plan["steps"]] == [
        ("base", 1, "build+push"),
        ("app", 2, "build+push"),
        ("tool", 1, "build+push"),
    ]
    assert main(argv=["-f", str(build_file), "build", "--push", "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert [i["status"] for i in result["images"]] == ["pushed"] * 3
    events = [json.loads(line) for line in captured.err.splitlines() if line.startswith("{")]
    assert {e["event"] for e in events} >= {"state", "log"}
    assert main(argv=["-f", str(build_file), "push", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["cached"] * 3


def test_plan_writes_bake_file_usable_by_bake(
    build_file: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bake = tmp_path / "bake.json"
    assert main(argv=["-f", str(build_file), "plan", "--offline", "--bake-file", str(bake)]) == 0
    doc = json.loads(bake.read_text())
    assert set(doc["target"]) == {"base", "app", "tool"}
    assert list(doc["target"]["app"]["contexts"].values()) == ["target:base"]
    out = subprocess.run(
        ["docker", "buildx", "bake", "-f", str(bake), "--print"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_unknown_image_is_a_usage_error(build_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv=["-f", str(build_file), "build", "--image", "nope"]) == 2
    assert "unknown image(s): nope" in capsys.readouterr().err
