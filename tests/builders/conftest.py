"""Fixtures for the build engine tests: a small three-image project on busybox."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dockgen.builders.runner import BuildOptions, Runner, RunReport
from dockgen.builders.spec import BuildSpec
from tests.support.infra import PLAIN_REGISTRY, unique_repo


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository with three build contexts and one commit (fixed date, credentials in the remote)."""
    for name, body in {"base": "base\n", "app": "print('app')\n", "tool": "tool\n"}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "data.txt").write_text(body)
    (tmp_path / "app" / ".dockerignore").write_text("*.log\n")
    (tmp_path / "app" / "debug.log").write_text("ignored\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "origin", "https://ci-bot:s3cr3t-t0ken@example.com/team/monorepo.git")
    git(tmp_path, "add", "-A")
    env = {"GIT_AUTHOR_DATE": "2024-05-01T12:00:00Z", "GIT_COMMITTER_DATE": "2024-05-01T12:00:00Z"}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "init"],
        cwd=tmp_path,
        check=True,
        env={**__import__("os").environ, **env},
    )
    return tmp_path


def three_images(
    root: Path,
    registry: str = PLAIN_REGISTRY,
    ns: str | None = None,
    tags: tuple[str, ...] = ("1.0", "1", "latest"),
    extra_registries: tuple[str, ...] = (),
) -> list[BuildSpec]:
    ns = ns or unique_repo("build")

    def refs(name: str) -> tuple[str, ...]:
        return tuple(f"{r}/{ns}/{name}:{t}" for r in (registry, *extra_registries) for t in tags)

    return [
        BuildSpec("base", "FROM busybox\nCOPY data.txt /base.txt\n", root / "base", refs("base")),
        BuildSpec(
            "app",
            f"FROM {registry}/{ns}/base:{tags[0]}\nCOPY . /app/\nRUN cat /base.txt /app/data.txt > /app/both\n",
            root / "app",
            refs("app"),
        ),
        BuildSpec("tool", "FROM busybox\nCOPY data.txt /tool.txt\n", root / "tool", refs("tool")),
    ]


RunFn = Callable[..., tuple[RunReport, str]]


@pytest.fixture
def run() -> RunFn:
    def _run(specs: list[BuildSpec], **options: object) -> tuple[RunReport, str]:
        stream = io.StringIO()
        opts = BuildOptions(progress=str(options.pop("progress", "plain")), **options)  # type: ignore[arg-type]
        report = Runner(specs, opts, stream).run()
        return report, stream.getvalue()

    return _run
