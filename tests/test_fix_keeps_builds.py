"""``dockgen lint --fix`` never breaks a build: before and after the safe fixes, the image builds and behaves the same.

Projects: every example under examples/ (Dockerfiles rendered from its build_images.py) and the fastest cases of
the optimizer benchmark (benchmarks/optimize_cases/). Each is copied to a temporary directory, built, probed,
fixed with ``dockgen lint Dockerfile --fix``, built again and probed again; the probes must agree.

Probes: an image that exposes a port is started and ``GET /`` is read from it; an image whose command keeps
running (a worker) gives the first line it logs; any other image is run to completion (output + exit code).
Builds use the engine's cache (the fixed build reuses the layers the fixes did not touch).
"""

from __future__ import annotations

import json
import runpy
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from benchmarks.optimize import (
    CASES_DIR,
    HOST_CA_BUNDLE,
    TRUSTED_BASES,
    build,
    prepare,
    rebase,
    remove_image,
    run_image,
    trusted_base,
)
from tests.support.infra import require_engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = ("node-app", "python-web", "go-service", "monorepo")
FAST_CASES = ("busybox-add-maintainer", "busybox-many-runs", "apt-python-script", "apt-jq-late-cleanup")

# images without a command of their own: what to run to see that they work
COMMANDS = {"monorepo-base": ["python3", "-c", "from greeting import greeting; print(greeting('probe'))"]}

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture(scope="module")
def bases() -> dict[str, str]:
    """debian base images with the host's CA bundle (builds here go through a TLS-intercepting proxy)."""
    require_engine()
    if not HOST_CA_BUNDLE.is_file():
        return {}
    return {b: trusted_base(b, HOST_CA_BUNDLE) for b in TRUSTED_BASES}


def _docker(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *argv], capture_output=True, text=True, timeout=timeout, check=False)


def _config(tag: str) -> dict[str, Any]:
    out = _docker("image", "inspect", tag, "--format", "{{json .Config}}")
    assert out.returncode == 0, out.stderr
    config: dict[str, Any] = json.loads(out.stdout)
    return config


def _http_probe(tag: str, port: str) -> str:
    name = f"dockgen-fixtest-{uuid.uuid4().hex[:8]}"
    run = _docker("run", "-d", "--name", name, "-p", f"127.0.0.1::{port}", tag)
    assert run.returncode == 0, run.stderr
    try:
        mapped = _docker("port", name, port).stdout.split()[0].rsplit(":", 1)[1]
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{mapped}/", timeout=2) as resp:
                    return f"{resp.status} {resp.read().decode()}"
            except OSError:
                if time.monotonic() > deadline:
                    logs = _docker("logs", name)
                    pytest.fail(f"{tag}: nothing answered on port {port}: {logs.stdout}{logs.stderr}")
                time.sleep(0.3)
    finally:
        _docker("rm", "-f", name)


def _first_log_line(tag: str) -> str:
    name = f"dockgen-fixtest-{uuid.uuid4().hex[:8]}"
    run = _docker("run", "-d", "--name", name, "-e", "WORK_INTERVAL=0.2", tag)
    assert run.returncode == 0, run.stderr
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            logs = _docker("logs", name)
            lines = (logs.stdout + logs.stderr).splitlines()
            if lines:
                return lines[0]
            time.sleep(0.3)
        pytest.fail(f"{tag}: no output within 20 s")
    finally:
        _docker("rm", "-f", name)


def probe(tag: str, image_name: str) -> str:
    """What the image observably does (see the module docstring)."""
    if image_name in COMMANDS:
        return run_image(tag, COMMANDS[image_name])
    config = _config(tag)
    ports = sorted(config.get("ExposedPorts") or {})
    if ports:
        return _http_probe(tag, ports[0].split("/")[0])
    if image_name.endswith("worker"):  # a loop that logs a line per round
        return _first_log_line(tag)
    return run_image(tag)


def _build_or_fail(project: Path, dockerfile: Path, tag: str, args: dict[str, str]) -> None:
    argv = ["docker", "build", "-q", "-t", tag, "-f", str(dockerfile)]
    for key, value in args.items():
        argv += ["--build-arg", f"{key}={value}"]
    proc = subprocess.run([*argv, str(project)], capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"{dockerfile} did not build:\n{proc.stderr[-3000:]}"


def _fix(dockerfile: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dockgen", "lint", dockerfile.name, "--fix"],
        cwd=dockerfile.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr


def _example_images(project: Path) -> list[Any]:
    proc = subprocess.run(
        [sys.executable, "build_images.py", "render"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    images: list[Any] = runpy.run_path(str(project / "build_images.py"))["images"]
    return images


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_example_builds_and_behaves_the_same_after_fix(
    example: str, bases: dict[str, str], tmp_path: Path
) -> None:
    if not (EXAMPLES / example / "build_images.py").is_file():
        pytest.fail(f"examples/{example}/build_images.py is missing")
    project = tmp_path / example
    shutil.copytree(EXAMPLES / example, project)
    images = _example_images(project)
    run = uuid.uuid4().hex[:8]
    tags: list[str] = []
    observed: dict[str, str] = {}
    rendered = {image.name: (project / image.dockerfile_path).read_text() for image in images}
    try:
        for phase in ("before", "after"):
            built: dict[str, str] = {}
            for image in images:  # declared in build order (bases first)
                dockerfile = project / image.dockerfile_path
                assert dockerfile.name == "Dockerfile", dockerfile
                dockerfile.write_text(rendered[image.name])
                if phase == "after":
                    _fix(dockerfile)
                mapping = dict(bases)
                for stage in image.stages:
                    if not isinstance(stage.base, str):
                        mapping[f"{stage.base.name}:{stage.base.version}"] = built[stage.base.name]
                rebase(dockerfile.parent, mapping)
                args = {k: bases.get(v, v) for k, v in image.args.items()}
                tag = f"dockgen-fixtest/{image.name}:{phase}-{run}"
                _build_or_fail(project / image.context, dockerfile, tag, args)
                tags.append(tag)
                built[image.name] = tag
                if phase == "before":
                    observed[image.name] = probe(tag, image.name)
                else:
                    assert probe(tag, image.name) == observed[image.name], (
                        f"{image.name}: differs after --fix"
                    )
    finally:
        for tag in tags:
            remove_image(tag)


@pytest.mark.parametrize("case", FAST_CASES)
def test_benchmark_case_builds_and_behaves_the_same_after_fix(
    case: str, bases: dict[str, str], tmp_path: Path
) -> None:
    original = prepare(CASES_DIR / case, "original", tmp_path / "original")
    fixed = prepare(CASES_DIR / case, "fix", tmp_path / "fix")
    assert (fixed / "Dockerfile").read_text() != (original / "Dockerfile").read_text(), "no fix applied"
    outputs = []
    for project in (original, fixed):
        rebase(project, bases)
        tag = f"dockgen-fixtest/{case}:{project.name}-{uuid.uuid4().hex[:8]}"
        _, err = build(project, tag, no_cache=False)
        assert not err, f"{project.name} of {case} did not build:\n{err}"
        try:
            outputs.append(run_image(tag))
        finally:
            remove_image(tag)
    assert outputs[0].endswith("[exit 0]"), outputs[0]
    assert outputs[1] == outputs[0]
