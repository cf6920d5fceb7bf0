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


def _wait_for(proxy: FaultProxy, outcome: str, path: str, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(r.outcome.startswith(outcome) and r.path.endswith(path) for r in proxy.log):
            return
        time.sleep(0.02)
    raise AssertionError(f"no {outcome} of {path} in {proxy.log}")


def test_failed_run_leaves_a_concurrent_release_of_the_same_content(proxy: FaultProxy) -> None:
    """Run B and run A publish the same digest at once; A finishes (exit 0), then B fails and rolls back.
    B's rollback must not delete the manifest A's tags name (it used to DELETE by digest: A's release
    vanished, tags/list null)."""
    import threading

    from dockgen.builders.publish import PublishLog, TagPlan, publish_tags, rollback
    from dockgen.errors import DockgenError
    from dockgen.registry import RegistryClient
    from tests.lifecycle.images import push_image
    from tests.support.infra import unique_repo

    path = unique_repo("race")
    repo = f"{PLAIN_REGISTRY}/{path}"
    with RegistryClient(PLAIN_REGISTRY) as c:
        digest = push_image(c, path, tag="content-" + "ab" * 16).digest
    tags = ("1.0", "1", "latest")
    # B (through the proxy): its PUT of "1" is held until A is done, then reading "latest" fails for good
    proxy.script(
        Fault.stall(1.5, method="PUT", path=r"/manifests/1$"),
        Fault.status(503, times=4, method="HEAD", path=r"/manifests/latest$"),
    )
    b_log = PublishLog()
    b_lines: list[str] = []
    b_plans = [TagPlan(repo, digest, tags, uploaded=True)]

    def run_b() -> None:
        store = ViaProxy(proxy)
        try:
            publish_tags(store, b_plans, b_log)
        except DockgenError:
            b_lines.extend(rollback(store, b_plans, b_log))

    b = threading.Thread(target=run_b)
    b.start()
    _wait_for(proxy, "stall", "/manifests/1")
    direct = ClientManifestStore()
    publish_tags(direct, [TagPlan(repo, digest, tags, uploaded=True)], PublishLog())  # A: exit 0
    b.join(30)
    assert b_lines, "run B did not fail and roll back"
    assert any("left" in line and "latest" in line for line in b_lines), b_lines
    assert {t: direct.head(repo, t) for t in tags} == dict.fromkeys(tags, digest), b_lines
    assert published(direct, repo) == set(tags)


def test_rollback_keeps_a_digest_that_was_tagged_before(proxy: FaultProxy) -> None:
    """The same content already published as 0.9; a run adding 1.0 and 1 fails on 1: rolling back 1.0 must
    not delete 0.9's manifest."""
    from dockgen.builders.publish import PublishLog, TagPlan, publish_tags, rollback
    from dockgen.errors import DockgenError
    from dockgen.registry import RegistryClient
    from tests.lifecycle.images import push_image
    from tests.support.infra import unique_repo

    path = unique_repo("race")
    repo = f"{PLAIN_REGISTRY}/{path}"
    with RegistryClient(PLAIN_REGISTRY) as c:
        digest = push_image(c, path, tag="0.9").digest
    proxy.script(Fault.status(503, times=50, method="PUT", path=r"/manifests/1$"))
    store = ViaProxy(proxy)
    plans = [TagPlan(repo, digest, ("1.0", "1"), uploaded=True)]
    log = PublishLog()
    with pytest.raises(DockgenError):
        publish_tags(store, plans, log)
    lines = rollback(store, plans, log)
    assert any("left" in line for line in lines), lines
    assert ClientManifestStore().head(repo, "0.9") == digest
