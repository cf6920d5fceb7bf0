"""Publishing through a fault-injecting proxy in front of the real registry: retries, then all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dockgen.builders.manifests import ClientManifestStore
from dockgen.registry.retry import RetryPolicy
from tests.builders.conftest import RunFn, three_images
from tests.support.faults import Fault, FaultProxy
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry

pytestmark = [pytest.mark.docker, pytest.mark.buildx, pytest.mark.registry]

FAST = RetryPolicy(attempts=4, base=0.05, cap=0.2, max_retry_after=1.0)


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    with FaultProxy(f"http://{PLAIN_REGISTRY}") as p:
        yield p


class ViaProxy(ClientManifestStore):
    """Registry calls of the engine go through the proxy; the engine's own push goes to the registry
    directly (the Docker engine only pushes over plain HTTP to the registries it was told are insecure)."""

    def __init__(self, proxy: FaultProxy) -> None:
        super().__init__(retry=FAST)
        self.proxy = proxy

    def client(self, registry: str, *, read: bool = False):  # type: ignore[no-untyped-def]
        return super().client(self.proxy.addr if registry == PLAIN_REGISTRY else registry, read=read)


def published(store: ClientManifestStore, repo: str) -> set[str]:
    registry, _, path = repo.partition("/")
    try:
        return {t for t in store.client(registry).list_tags(path) if not t.startswith("content-")}
    except Exception:
        return set()


FAULTS = {
    "500-then-ok": [Fault.status(500, times=2, method="PUT", path=r"/manifests/(1\.0|1|latest)$")],
    "429-retry-after": [Fault.status(429, retry_after=1, method="PUT", path=r"/manifests/1$")],
    "connection-reset": [Fault.reset(method="PUT", path=r"/manifests/latest$")],
    "dropped": [Fault.drop(method="HEAD", path=r"/manifests/1\.0$")],
    "stall": [Fault.stall(0.5, method="PUT", path=r"/manifests/1\.0$")],
}


@pytest.mark.parametrize("name", list(FAULTS), ids=list(FAULTS))
def test_tags_published_after_retries(project: Path, run: RunFn, proxy: FaultProxy, name: str) -> None:
    spec = three_images(project)[0]
    proxy.script(*FAULTS[name])
    store = ViaProxy(proxy)
    import io

    from dockgen.builders.runner import BuildOptions, Runner

    stream = io.StringIO()
    report = Runner([spec], BuildOptions(push=True, progress="plain"), stream, store=store).run()
    assert report.ok, stream.getvalue() + report.outcomes["base"].detail
    assert proxy.pending == 0, "the scripted fault was never hit"
    assert published(store, spec.repositories[0]) == {"1.0", "1", "latest"}


def test_persistent_failure_rolls_back_every_tag(project: Path, proxy: FaultProxy) -> None:
    import io

    from dockgen.builders.runner import BuildOptions, Runner

    spec = three_images(project)[0]
    # the first tag goes through; the second fails on every attempt
    proxy.script(Fault.status(503, times=50, method="PUT", path=r"/manifests/1$"))
    store = ViaProxy(proxy)
    stream = io.StringIO()
    report = Runner([spec], BuildOptions(push=True, progress="plain"), stream, store=store).run()
    out = report.outcomes["base"]
    assert out.status == "failed"
    assert "tagging failed" in out.detail and "rolled back" in out.detail
    assert any("removed" in line for line in report.rollback), report.rollback
    direct = ClientManifestStore()
    repo = spec.repositories[0]
    assert published(direct, repo) == set(), "a half-published tag set was left behind"


def test_rollback_restores_a_moved_tag(project: Path, run: RunFn, proxy: FaultProxy) -> None:
    import io
    from dataclasses import replace

    from dockgen.builders.runner import BuildOptions, Runner

    spec = three_images(project)[0]
    first, log = run([spec], push=True)
    assert first.ok, log
    old = first.outcomes["base"].digest
    changed = replace(spec, dockerfile=spec.dockerfile + "ENV CHANGED=1\n")
    proxy.script(Fault.status(500, times=50, method="PUT", path=r"/manifests/latest$"))
    store = ViaProxy(proxy)
    report = Runner([changed], BuildOptions(push=True, progress="plain"), io.StringIO(), store=store).run()
    assert report.outcomes["base"].status == "failed"
    assert any("restored" in line for line in report.rollback), report.rollback
    direct = ClientManifestStore()
    repo = spec.repositories[0]
    assert {t: direct.head(repo, t) for t in ("1.0", "1", "latest")} == dict.fromkeys(
        ("1.0", "1", "latest"), old
    )
