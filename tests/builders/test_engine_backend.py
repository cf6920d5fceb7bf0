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
from dockgen.builders.spec import BuildSpec, SecretSpec, split_reference
from dockgen.errors import BuildError
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
