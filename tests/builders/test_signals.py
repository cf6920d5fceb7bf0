"""Real signals to a real ``dockgen build``: SIGTERM is handled like SIGINT (message, exit 128+N, builder
children ended, temporary directories removed, a summary and a final JSON event); an ``--atomic`` publish
stopped mid-tagging is rolled back, and a tag ``PUT`` whose outcome is unknown is settled."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockgen.builders.manifests import ClientManifestStore
from tests.builders.conftest import three_images
from tests.builders.test_publish_faults import FAST, ViaProxy, _wait_for, published
from tests.support.faults import Fault, FaultProxy
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry

pytestmark = [pytest.mark.docker, pytest.mark.buildx]

BUILD_FILE = """\
from dockgen.models import Image, Run, Stage

images = [Image("slow", namespace="dockgen-test", version="1.0.0",
                stages=[Stage(base="busybox", steps=[Run("echo {nonce} && sleep 120")])])]
"""


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, list[str]]:
    require_engine()
    require_buildx()
    nonce = uuid.uuid4().hex
    (tmp_path / "build_images.py").write_text(BUILD_FILE.format(nonce=nonce))
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dockgen", "-f", "build_images.py", "build", "--no-skip", "--json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    events: list[str] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # wait until the RUN step is running inside the builder
        line = proc.stderr.readline()
        if not line:
            break
        events.append(line)
        if nonce in line and '"log"' in line:
            break
    else:
        proc.kill()
        raise AssertionError("the build never reached its RUN step: " + "".join(events[-5:]))
    return proc, tmpdir, events


@pytest.fixture
def cleanup() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_to_the_main_process_stops_the_build_cleanly(
    tmp_path: Path, signum: int, cleanup: list[subprocess.Popen[str]]
) -> None:
    proc, tmpdir, events = _start(tmp_path)
    cleanup.append(proc)
    builders = _children(proc.pid)
    assert builders, "no builder child process"
    assert any(p.name.startswith("dockgen-build-") for p in tmpdir.iterdir())
    started = time.monotonic()
    os.kill(proc.pid, signum)  # the main process only, not its process group
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - started
    events += err.splitlines(keepends=True)
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, err[-2000:]
    assert took < 20, f"took {took:.1f}s to stop"
    assert f"interrupted ({name})" in err and "Traceback" not in err
    last = json.loads([e for e in events if e.startswith("{")][-1])
    assert last["event"] == "interrupted" and last["signal"] == name
    summary = json.loads(out)
    assert summary["interrupted"] == name and summary["images"][0]["status"] == "interrupted"
    time.sleep(0.5)
    assert not [p for p in builders if _alive(p)], "a docker buildx child is still running"
    assert list(tmpdir.iterdir()) == [], "temporary files left behind"


def test_atomic_publish_interrupted_mid_tagging_is_rolled_back(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM arrives while the PUT of `latest` is in flight (held by the proxy, then applied late): the run
    rolls back every tag it added and settles the unanswered PUT, leaving no half-moved tag set."""
    from dockgen.builders.runner import BuildOptions, Runner
    from dockgen.interrupts import handle_signals

    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    monkeypatch.setenv("DOCKGEN_REGISTRY_TIMEOUT", "4")  # the settle window
    spec = three_images(project)[0]
    repo = spec.repositories[0]
    with FaultProxy(f"http://{PLAIN_REGISTRY}") as proxy:
        proxy.script(Fault.stall(2.0, method="PUT", path=r"/manifests/latest$"))

        def kill_when_stalled() -> None:
            _wait_for(proxy, "stall", "/manifests/latest", timeout=120)
            os.kill(os.getpid(), signal.SIGTERM)

        killer = threading.Thread(target=kill_when_stalled, daemon=True)
        killer.start()
        with handle_signals():
            report = Runner(
                [spec],
                BuildOptions(push=True, atomic=True, progress="plain"),
                io.StringIO(),
                store=ViaProxy(proxy),
            ).run()
        killer.join(5)
    assert report.interrupted is not None
    assert any("settled" in line for line in report.rollback), report.rollback
    direct = ClientManifestStore()
    time.sleep(1.0)
    assert published(direct, repo) == set(), report.rollback


def test_unanswered_put_that_lands_late_is_settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt of the PUT of `latest` times out on the client (1 s) but reaches the registry 2.5 s
    later: the rollback must not report success before that late PUT is undone."""
    from dockgen.builders.publish import PublishLog, TagPlan, publish_tags, rollback
    from dockgen.errors import DockgenError
    from dockgen.registry import RegistryClient
    from tests.lifecycle.images import push_image
    from tests.support.infra import unique_repo

    require_registry(PLAIN_REGISTRY)
    monkeypatch.setenv("DOCKGEN_REGISTRY_TIMEOUT", "1")
    path = unique_repo("settle")
    repo = f"{PLAIN_REGISTRY}/{path}"
    with RegistryClient(PLAIN_REGISTRY) as c:
        digest = push_image(c, path, tag="content-" + "cd" * 16).digest
    with FaultProxy(f"http://{PLAIN_REGISTRY}") as proxy:
        proxy.script(Fault.stall(2.5, times=FAST.attempts, method="PUT", path=r"/manifests/latest$"))
        store = ViaProxy(proxy)
        plans = [TagPlan(repo, digest, ("1.0", "latest"), uploaded=True)]
        log = PublishLog()
        with pytest.raises(DockgenError):
            publish_tags(store, plans, log)
        assert any(c.uncertain for c in log.changes)
        lines = rollback(store, plans, log, settle=3.5)
    assert any("settled" in line for line in lines), lines
    time.sleep(1.0)
    assert published(ClientManifestStore(), repo) == set(), lines
