"""buildx features through the engine: ssh agent forwarding and named builders."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockgen.builders.runner import BuildOptions, Runner
from dockgen.builders.spec import BuildSpec
from dockgen.errors import BuildError
from tests.builders.conftest import RunFn
from tests.support.infra import require_buildx, require_engine

pytestmark = [pytest.mark.docker, pytest.mark.buildx]


@pytest.fixture(autouse=True)
def _infra() -> None:
    require_engine()
    require_buildx()


@pytest.fixture
def agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real ssh-agent on a socket under tmp_path holding one new ed25519 key; yields its fingerprint."""
    for tool in ("ssh-agent", "ssh-add", "ssh-keygen"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install openssh-client)")
    sock = tmp_path / "agent.sock"
    key = tmp_path / "id_test"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dockgen-test-key", "-f", str(key)], check=True
    )
    out = subprocess.run(["ssh-agent", "-a", str(sock)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"SSH_AGENT_PID=(\d+)", out)
    assert m, out
    pid = int(m.group(1))
    try:
        env = {**os.environ, "SSH_AUTH_SOCK": str(sock)}
        subprocess.run(["ssh-add", "-q", str(key)], env=env, check=True, capture_output=True)
        fingerprint = subprocess.run(
            ["ssh-keygen", "-lf", f"{key}.pub"], capture_output=True, text=True, check=True
        ).stdout.split()[1]
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        yield fingerprint
    finally:
        os.kill(pid, signal.SIGTERM)


def _ssh_add_context(root: Path) -> Path:
    """The host's ssh-add and the libraries it needs (debian:bookworm has no openssh-client, no network)."""
    ctx = root / "sshctx"
    ctx.mkdir()
    shutil.copy(shutil.which("ssh-add") or "", ctx / "ssh-add")
    ldd = subprocess.run(["ldd", str(ctx / "ssh-add")], capture_output=True, text=True, check=True).stdout
    for lib in re.findall(r"=> (/\S+)", ldd):
        if not Path(lib).name.startswith(("libc.so", "ld-linux")):
            shutil.copy(lib, ctx / Path(lib).name)
    return ctx


def test_ssh_agent_is_forwarded(agent: str, tmp_path: Path, run: RunFn) -> None:
    ctx = _ssh_add_context(tmp_path)
    dockerfile = (
        "FROM debian:bookworm\n"
        "ARG NONCE\n"
        "RUN --mount=type=bind,target=/t --mount=type=ssh "
        'echo "nonce $NONCE" && LD_LIBRARY_PATH=/t /t/ssh-add -l\n'
    )
    spec = BuildSpec(
        "ssh-probe",
        dockerfile,
        ctx,
        (f"dockgen-test/ssh-probe:{uuid.uuid4().hex[:8]}",),
        ssh=("default",),
        build_args={"NONCE": uuid.uuid4().hex},  # never a cached RUN: the agent is not part of the cache key
    )
    report, log = run([spec], no_skip=True)
    assert report.ok, log + report.outcomes["ssh-probe"].detail
    assert agent in log and "dockgen-test-key (ED25519)" in log, log
    subprocess.run(["docker", "image", "rm", "-f", *spec.references], capture_output=True)


def test_ssh_without_agent_is_reported(tmp_path: Path, run: RunFn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    spec = BuildSpec(
        "ssh-none",
        "FROM busybox\nRUN --mount=type=ssh true\n",
        tmp_path,
        ("dockgen-test/ssh-none:1",),
        ssh=("default",),
    )
    report, _log = run([spec], no_skip=True)
    assert report.outcomes["ssh-none"].status == "failed"
    assert "SSH_AUTH_SOCK" in report.outcomes["ssh-none"].detail, report.outcomes["ssh-none"].detail


@pytest.fixture
def second_builder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A second builder with the docker driver: a docker context (in a private DOCKER_CONFIG) is one."""
    config = tmp_path / "docker-config"
    config.mkdir()
    home = Path(os.environ.get("DOCKER_CONFIG", Path.home() / ".docker")) / "config.json"
    if home.is_file():
        shutil.copy(home, config / "config.json")
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    name = f"dockgen-{uuid.uuid4().hex[:6]}"
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    subprocess.run(
        ["docker", "context", "create", name, "--docker", f"host={host}"], check=True, capture_output=True
    )
    return name


@pytest.mark.parametrize("which", ["default", "second"], ids=["default", "docker-context"])
def test_named_builder(which: str, second_builder: str, tmp_path: Path, run: RunFn) -> None:
    builder = second_builder if which == "second" else "default"
    spec = BuildSpec(
        "named", "FROM busybox\nRUN echo built-here\n", tmp_path, (f"dockgen-test/named:{which}",)
    )
    report, log = run([spec], builder=builder, no_skip=True)
    assert report.ok, log + report.outcomes["named"].detail
    assert f'building with "{builder}" instance using docker driver' in log


def test_unknown_builder_fails_once_before_building(tmp_path: Path) -> None:
    spec = BuildSpec("x", "FROM busybox\n", tmp_path, ("dockgen-test/x:1",))
    with pytest.raises(BuildError, match='builder "no-such-builder" not found') as err:
        Runner(
            [spec], BuildOptions(builder="no-such-builder", progress="quiet"), __import__("io").StringIO()
        ).run()
    assert "docker buildx ls" in str(err.value)
