"""The Engine-API (classic builder) backend: builds, pins dependencies, refuses what it cannot do."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from dockgen.builders.engine import EngineBackend
from dockgen.builders.manifests import ClientManifestStore
from dockgen.builders.runner import BuildOptions, Runner
from dockgen.builders.spec import BuildSpec, SecretSpec
from dockgen.errors import BuildError
from dockgen.reference import split_reference
from tests.builders.conftest import three_images
from tests.support.infra import AUTH_REGISTRY, PLAIN_REGISTRY, require_engine, require_registry

REFUSED = {
    "platforms": dict(platforms=("linux/amd64", "linux/arm64")),
    "secret": dict(secrets=(SecretSpec("tok", env="HOME"),)),
    "cache-mount": dict(dockerfile="FROM busybox\nRUN --mount=type=cache,target=/c true\n"),
    "heredoc": dict(dockerfile="FROM busybox\nRUN <<EOF\necho hi\nEOF\n"),
    "registry-cache": dict(cache_to=("type=registry,ref=r/x:cache",)),
}


@pytest.mark.parametrize("what", list(REFUSED), ids=list(REFUSED))
def test_refuses_before_building(tmp_path: Path, what: str) -> None:
    spec = BuildSpec("web", "FROM busybox\n", tmp_path, ("r/web:1",))
    spec = replace(spec, **REFUSED[what])  # type: ignore[arg-type]
    with pytest.raises(BuildError, match=r"image 'web' cannot be built by the Engine-API") as err:
        EngineBackend().check(spec)
    assert "--backend buildx" in str(err.value)
    if what in ("cache-mount", "heredoc"):
        assert "line 2" in str(err.value)


@pytest.mark.docker
@pytest.mark.registry
def test_engine_builds_graph_and_pushes(project: Path) -> None:
    require_engine()
    require_registry(PLAIN_REGISTRY)
    specs = three_images(project)
    stream = io.StringIO()
    report = Runner(specs, BuildOptions(push=True, backend="engine", progress="plain"), stream).run()
    assert report.ok, stream.getvalue() + "\n".join(o.detail for o in report.outcomes.values())
    out = subprocess.run(
        ["docker", "run", "--rm", specs[1].references[0], "cat", "/app/both"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == "base\nprint('app')\n"
    again = Runner(specs, BuildOptions(push=True, backend="engine", progress="quiet"), io.StringIO()).run()
    assert [o.status for o in again.outcomes.values()] == ["cached"] * 3


@pytest.mark.docker
def test_engine_failure_names_step(project: Path) -> None:
    require_engine()
    spec = replace(three_images(project)[0], dockerfile="FROM busybox\nRUN echo nope && exit 4\n")
    report = Runner([spec], BuildOptions(backend="engine", progress="quiet"), io.StringIO()).run()
    detail = report.outcomes["base"].detail
    assert report.outcomes["base"].status == "failed"
    assert "RUN echo nope && exit 4" in detail and "image 'base'" in detail


@pytest.mark.docker
@pytest.mark.registry
def test_engine_pushes_to_two_registries_same_digest(project: Path) -> None:
    require_engine()
    require_registry(PLAIN_REGISTRY)
    require_registry(AUTH_REGISTRY)
    spec = three_images(project, extra_registries=(AUTH_REGISTRY,))[0]
    stream = io.StringIO()
    report = Runner([spec], BuildOptions(push=True, backend="engine", progress="plain"), stream).run()
    assert report.ok, stream.getvalue() + report.outcomes["base"].detail
    digest = report.outcomes["base"].digest
    store = ClientManifestStore()
    heads = {ref: store.head(*split_reference(ref)) for ref in spec.references}
    assert len(spec.repositories) == 2
    assert set(heads.values()) == {digest}, heads


@pytest.mark.docker
@pytest.mark.registry
def test_engine_not_logged_in_is_actionable(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_engine()
    require_registry(AUTH_REGISTRY)
    empty = tmp_path / "docker-config"
    empty.mkdir()
    (empty / "config.json").write_text("{}")
    monkeypatch.setenv("DOCKER_CONFIG", str(empty))
    spec = three_images(project, registry=AUTH_REGISTRY)[0]
    report = Runner([spec], BuildOptions(push=True, backend="engine", progress="quiet"), io.StringIO()).run()
    detail = report.outcomes["base"].detail
    assert report.outcomes["base"].status == "failed"
    assert f"not logged in to {AUTH_REGISTRY}" in detail, detail
    assert "login" in detail


@pytest.fixture
def full_registry(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real distribution registry whose storage is a 64 KiB tmpfs: a layer upload fails for lack of space."""
    import os
    import shutil
    import socket
    import time
    import urllib.request

    if os.geteuid() != 0 or shutil.which("docker-registry") is None:
        pytest.skip("needs root (tmpfs) and docker-registry")
    data = tmp_path / "data"
    data.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(data)], check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = tmp_path / "config.yml"
    config.write_text(
        f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {data}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n  secret: full-registry-test\n"
    )
    proc = subprocess.Popen(
        ["docker-registry", "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        subprocess.run(["umount", "-l", str(data)], check=False)


def test_engine_push_error_keeps_its_cause(tmp_path: Path, full_registry: str) -> None:
    """The registry's disk is full: the engine's long error ends with the cause; it used to be cut at 300
    characters (and the summary table at 60), ending mid-URL with the status hidden."""
    import uuid

    from dockgen.builders.runner import summary_table

    require_engine()
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "big.txt").write_text(uuid.uuid4().hex * 20_000)  # 640 kB > 64 KiB
    spec = BuildSpec(
        "full", "FROM busybox\nCOPY big.txt /big.txt\n", tmp_path / "ctx", (f"{full_registry}/t/full:1.0",)
    )
    report = Runner([spec], BuildOptions(push=True, backend="engine", progress="quiet"), io.StringIO()).run()
    out = report.outcomes["full"]
    assert out.status == "failed"
    first = out.detail.splitlines()[0]
    assert first.rstrip().endswith("500 Internal Server Error"), first
    assert "_state=" not in first  # the upload session token is noise
    assert "500 Internal Server Error" in summary_table(report)


def test_clip_cause_keeps_the_end() -> None:
    from dockgen.builders.engine import clip_cause

    message = "failed commit on ref " + "x" * 2000 + ": write /var/lib/registry/data: no space left on device"
    clipped = clip_cause(message)
    assert len(clipped) <= 1000 and clipped.endswith("no space left on device")
