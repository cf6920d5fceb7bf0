"""``build`` / ``push`` / ``plan`` / ``test`` read the command line once, into typed requests; nothing below
the readers sees ``argparse.Namespace``."""

from __future__ import annotations

import argparse
import ast
import io
from pathlib import Path

import pytest

from dockgen.cli import build_parser
from dockgen.commands._build_support import read_build_request, read_plan_request, read_test_request
from dockgen.commands._context import Context
from dockgen.errors import UsageError
from dockgen.models import Image

ROOT = Path(__file__).resolve().parents[2]

BUILD_FILE = """\
from dockgen.models import Image, Stage

images = [
    Image("web", registry="registry.example.com", version="1.0.0",
          stages=[Stage(base="busybox", steps=[])]),
    Image("worker", version="1.0.0", dockerfile="worker.Dockerfile", stages=[Stage(base="busybox", steps=[])]),
]
"""


def _read(tmp_path: Path, *argv: str) -> tuple[argparse.Namespace, Context]:
    path = tmp_path / "build_images.py"
    path.write_text(BUILD_FILE)
    parser, _ = build_parser()
    args = parser.parse_args(["-f", str(path), *argv])
    ctx = Context(build_file=path, stdout=io.StringIO(), stderr=io.StringIO())
    return args, ctx


def test_build_request_holds_typed_options_and_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKGEN_VERSION", "2.0.0")
    monkeypatch.setenv("COSIGN_KEY", "env.key")
    args, ctx = _read(
        tmp_path,
        "build",
        "--push",
        "--platform",
        "linux/amd64, linux/arm64",
        "--platform",
        "linux/riscv64",
        "--image",
        "web",
        "--json",
        "--sign",
        "--scan",
        "--scan-severity",
        "critical",
        "--ci",
        "git",
        "--no-edge",
    )
    req = read_build_request(args, ctx, push=True)
    assert [type(i) for i in req.declared.images] == [Image, Image]
    assert [i.name for i in req.declared.images] == ["web", "worker"]
    assert req.declared.project_dir == tmp_path.resolve()
    assert req.declared.source == "build_images.py"
    assert req.flags.platforms == ("linux/amd64", "linux/arm64", "linux/riscv64")
    assert req.flags.selected == ("web",)
    assert req.flags.version == "2.0.0"  # no --version: $DOCKGEN_VERSION
    assert req.flags.output == "json" and req.flags.json
    assert (req.flags.ci.provider, req.flags.ci.no_edge) == ("git", True)
    assert (req.after.sign_key, req.after.scan, req.after.scan_severity) == ("env.key", True, "CRITICAL")
    assert req.push and not req.push_only
    with pytest.raises(AttributeError):
        req.push = False  # type: ignore[misc]  # frozen


def test_plan_and_test_requests(tmp_path: Path) -> None:
    args, ctx = _read(tmp_path, "plan", "--offline", "--bake-file", "-", "-q")
    plan = read_plan_request(args, ctx)
    assert (plan.offline, plan.bake_file, plan.flags.output) == (True, "-", "quiet")
    args, ctx = _read(tmp_path, "test", "--reference", "web=web:dev", "--pull", "--junit", "out.xml")
    req = read_test_request(args, ctx)
    assert dict(req.references) == {"web": "web:dev"}
    assert (req.pull, req.build, req.junit) == (True, False, "out.xml")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build", "--jobs", "0"], "--jobs must be at least 1"),
        (["build", "--sbom-generator", "not an image"], "--sbom-generator"),
        (["test", "--reference", "web"], "expected NAME=IMAGE"),
    ],
)
def test_bad_flags_are_refused_before_the_build_file_runs(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    args, ctx = _read(tmp_path, *argv)
    (tmp_path / "build_images.py").write_text("raise SystemExit('must not run')\n")
    with pytest.raises(UsageError, match=message):
        if argv[0] == "test":
            read_test_request(args, ctx)
        else:
            read_build_request(args, ctx, push=False)


def _imports_argparse(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "argparse" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "argparse":
            return True
    return False


def test_nothing_below_the_readers_imports_argparse() -> None:
    below = [
        *sorted((ROOT / "dockgen" / "builders").glob("*.py")),
        ROOT / "dockgen" / "commands" / "_build_run.py",
        ROOT / "dockgen" / "commands" / "_requests.py",
    ]
    assert [p.relative_to(ROOT).as_posix() for p in below if _imports_argparse(p)] == []
