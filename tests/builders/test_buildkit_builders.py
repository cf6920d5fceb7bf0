"""The publish path on real standalone BuildKit daemons (scripts/infra.sh section 6).

Three builders besides the engine's own: ``dockgen-remote`` (buildx ``remote`` driver, mTLS, one daemon),
``dockgen-multinode`` (linux/amd64 on that daemon + linux/arm64 on a second one) and ``dockgen-container``
(``docker-container`` driver running an image assembled from the same binaries). Images are tiny and on
busybox; each test uses its own repositories and a nonce where BuildKit's cache must not help.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import subprocess
import tarfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from dockgen.builders.backend import BuildJob, LogTail
from dockgen.builders.buildx import BuilderInfo, BuildxBackend, _transient_export_failure
from dockgen.builders.config import load_build_config
from dockgen.builders.manifests import ClientManifestStore
from dockgen.builders.runner import BuildOptions, Runner, RunReport
from dockgen.builders.spec import BuildSpec, SecretSpec
from dockgen.cli import main
from dockgen.errors import BuildError, ConfigError
from dockgen.labels import OCI
from dockgen.reference import split_reference
from dockgen.registry.errors import RepositoryNotFoundError
from tests.builders.conftest import git
from tests.builders.test_buildx_features import _ssh_add_context, agent  # noqa: F401  (fixture)
from tests.support.faults import Fault, FaultProxy
from tests.support.infra import (
    BUILDKIT_BUILDERS,
    BUILDKIT_CONTAINER,
    BUILDKIT_MULTINODE,
    BUILDKIT_REMOTE,
    PLAIN_REGISTRY,
    STATE_DIR,
    buildkit_dir,
    require_buildkit_builder,
    require_registry,
    unique_repo,
)

pytestmark = [pytest.mark.docker, pytest.mark.buildx, pytest.mark.registry]

COMMIT_DATE = "2024-05-01T12:00:00Z"
COMMIT_EPOCH = 1714564800


def _need(*builders: str) -> None:
    require_registry(PLAIN_REGISTRY)
    for b in builders:
        require_buildkit_builder(b)


# ------------------------------------------------------------------------------------- registry helpers
def manifest(repo: str, ref: str) -> dict[str, object]:
    return json.loads(ClientManifestStore().get(repo, ref).data)  # type: ignore[no-any-return]


def platform_manifests(repo: str, ref: str) -> dict[str, str]:
    """platform -> manifest digest of an index (attestation manifests left out)."""
    index = manifest(repo, ref)
    return {
        f"{m['platform']['os']}/{m['platform']['architecture']}": m["digest"]
        for m in index["manifests"]  # type: ignore[attr-defined]
        if m["platform"]["os"] != "unknown"
    }


def image_files(repo: str, digest: str) -> dict[str, tarfile.TarInfo | bytes]:
    """Every regular file of an image manifest's layers: path -> bytes (last layer wins)."""
    registry, _, path = repo.partition("/")
    client = ClientManifestStore().client(registry)
    files: dict[str, tarfile.TarInfo | bytes] = {}
    for layer in manifest(repo, digest)["layers"]:  # type: ignore[attr-defined]
        blob = client.get_blob(path, layer["digest"])
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob))) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    data = tar.extractfile(member)
                    files[member.name] = data.read() if data else b""
                    files["mtime:" + member.name] = member
    return files


def labels_of(repo: str, digest: str) -> dict[str, str]:
    registry, _, path = repo.partition("/")
    client = ClientManifestStore().client(registry)
    config = json.loads(client.get_blob(path, manifest(repo, digest)["config"]["digest"]))  # type: ignore[index]
    return dict(config["config"].get("Labels") or {})


def step_result(log: str, step: str) -> str:
    """``CACHED`` or ``DONE``: how BuildKit's plain progress finished the Dockerfile step containing ``step``."""
    found = re.search(r"(#\d+) \[[^\]]*\d+/\d+\] " + re.escape(step), log)
    assert found, f"no step {step!r} in the log"
    ends = set(re.findall(re.escape(found.group(1)) + r" (CACHED|DONE)", log))
    assert ends, f"step {step!r} did not finish"
    # a step served from an imported cache says CACHED, then DONE after pulling the cached layers
    return "CACHED" if "CACHED" in ends else "DONE"


def tags_of(repo: str) -> dict[str, str | None]:
    store = ClientManifestStore()
    registry, _, path = repo.partition("/")
    try:
        tags = store.client(registry).list_tags(path)
    except RepositoryNotFoundError:  # distribution 2.x: a repository with untagged manifests only
        return {}
    return {t: store.head(repo, t) for t in tags}


# ------------------------------------------------------------------------------------------- fixtures
def _commit(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "init"],
        cwd=root,
        check=True,
        env=env,
    )


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    for name in ("base", "app"):
        (root / name).mkdir(parents=True)
        (root / name / "data.txt").write_text(f"{name} {uuid.uuid4().hex}\n")
    _commit(root)
    return root


def graph(root: Path, ns: str, platforms: tuple[str, ...] = ()) -> list[BuildSpec]:
    def refs(name: str) -> tuple[str, ...]:
        return tuple(f"{PLAIN_REGISTRY}/{ns}/{name}:{t}" for t in ("1.0", "latest"))

    return [
        BuildSpec(
            "base",
            "FROM busybox\nCOPY data.txt /base.txt\n",
            root / "base",
            refs("base"),
            platforms=platforms,
        ),
        BuildSpec(
            "app",
            f"FROM {PLAIN_REGISTRY}/{ns}/base:1.0\nCOPY data.txt /app.txt\nRUN cat /base.txt /app.txt > /both\n",
            root / "app",
            refs("app"),
            platforms=platforms,
        ),
    ]


def run_on(builder: str, specs: list[BuildSpec], **options: object) -> tuple[RunReport, str]:
    stream = io.StringIO()
    pushed_at = options.pop("pushed_at", None)
    runner = Runner(specs, BuildOptions(builder=builder, progress="plain", **options), stream)  # type: ignore[arg-type]
    if isinstance(pushed_at, str):
        runner.pushed_at = pushed_at
    report = runner.run()
    return report, stream.getvalue()


# ---------------------------------------------------------------------------------------------- tests
def test_command_pushes_by_digest_and_rewrites_timestamps_off_the_docker_driver(tmp_path: Path) -> None:
    spec = BuildSpec("x", "FROM busybox\n", tmp_path, (f"{PLAIN_REGISTRY}/a/x:1",))
    job = BuildJob(
        spec=spec,
        labels={},
        push_names=(f"{PLAIN_REGISTRY}/a/x:content-1", "127.0.0.1:5443/a/x:content-1"),
        source_date_epoch=COMMIT_EPOCH,
    )
    outputs = {}
    for driver in ("docker", "remote", "docker-container", "kubernetes"):
        backend = BuildxBackend(driver)
        backend._info = BuilderInfo(driver, driver, "v0.0.0+unknown")
        cmd = backend.command(job, tmp_path / "Dockerfile", tmp_path / "m.json")
        outputs[driver] = cmd[cmd.index("--output") + 1]
    assert outputs["docker"] == (
        f'type=image,"name={PLAIN_REGISTRY}/a/x:content-1,127.0.0.1:5443/a/x:content-1",push=true'
    )
    for driver in ("remote", "docker-container", "kubernetes"):
        assert outputs[driver] == (
            f'type=image,"name={PLAIN_REGISTRY}/a/x,127.0.0.1:5443/a/x",push=true,push-by-digest=true,'
            "rewrite-timestamp=true"
        ), driver


DAEMONS = ("127.0.0.1:1234", "127.0.0.1:1235")
TLS = STATE_DIR / "buildkit" / "tls"
CLIENT_CERT = (
    "--tlscacert",
    str(TLS / "ca.crt"),
    "--tlscert",
    str(TLS / "client.crt"),
    "--tlskey",
    str(TLS / "client.key"),
)


def buildctl(addr: str, *args: str, tls: tuple[str, ...] = CLIENT_CERT) -> subprocess.CompletedProcess[str]:
    """buildctl (from the BuildKit binaries) against one daemon; the client certificate unless ``tls``."""
    tool = str(buildkit_dir() / "buildctl")  # type: ignore[operator]
    return subprocess.run(
        [tool, "--addr", f"tcp://{addr}", "--timeout", "10", *tls, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("addr", DAEMONS)
def test_daemons_require_a_client_certificate(addr: str) -> None:
    """Mutual TLS as in a real deployment: the CA-signed client certificate gets in, nothing else does."""
    _need(BUILDKIT_MULTINODE)
    ok = buildctl(addr, "debug", "workers")
    assert ok.returncode == 0 and "linux/arm64" in ok.stdout, ok.stderr
    assert buildctl(addr, "debug", "workers", tls=("--tlscacert", str(TLS / "ca.crt"))).returncode != 0
    assert buildctl(addr, "debug", "workers", tls=()).returncode != 0


@pytest.mark.parametrize("builder", BUILDKIT_BUILDERS)
def test_graph_published_through_the_registry(builder: str, repo_dir: Path) -> None:
    """base, then app FROM base: the daemon sees base only in the registry (pinned by digest); a second
    run with only app changed builds app FROM the published base again. Pushed by digest: every tag and
    the content tag name one digest."""
    _need(builder)
    platforms = ("linux/amd64", "linux/arm64") if builder == BUILDKIT_MULTINODE else ()
    ns = unique_repo("bk")
    specs = graph(repo_dir, ns, platforms)
    report, log = run_on(builder, specs, push=True)
    assert report.ok, log + "".join(o.detail for o in report.outcomes.values())
    assert [report.outcomes[n].status for n in ("base", "app")] == ["pushed", "pushed"]
    for spec in specs:
        out = report.outcomes[spec.name]
        tags = tags_of(spec.repositories[0])
        assert tags == {
            "1.0": out.digest,
            "latest": out.digest,
            f"content-{out.content_hash[:32]}": out.digest,
        }  # type: ignore[index]
    base_digest = report.outcomes["base"].digest
    assert f"{specs[0].repositories[0]}@{base_digest}" in log  # app's FROM pinned to the pushed digest
    if platforms:
        assert set(platform_manifests(specs[1].repositories[0], "1.0")) == set(platforms)

    (repo_dir / "app" / "data.txt").write_text("app changed\n")
    second, log2 = run_on(builder, specs, push=True)
    assert second.ok, log2 + "".join(o.detail for o in second.outcomes.values())
    assert (second.outcomes["base"].status, second.outcomes["app"].status) == ("cached", "pushed")
    assert second.outcomes["app"].digest != report.outcomes["app"].digest
    app_repo = specs[1].repositories[0]
    one = platform_manifests(app_repo, "1.0")["linux/amd64"] if platforms else second.outcomes["app"].digest
    files = image_files(app_repo, one)  # type: ignore[arg-type]
    assert files["both"] == (repo_dir / "base" / "data.txt").read_bytes() + b"app changed\n"
    assert labels_of(app_repo, one)[OCI + ".base.digest"] == base_digest  # type: ignore[arg-type]


@pytest.mark.parametrize("builder", [BUILDKIT_REMOTE, BUILDKIT_CONTAINER])
def test_local_graph_without_push(builder: str, repo_dir: Path) -> None:
    """Without --push the daemon cannot see the engine's images: app gets base as an OCI layout of this
    run's build; both end up in `docker images`. A second run skips app (a leaf) and rebuilds base from
    BuildKit's cache (app needs it again)."""
    _need(builder)
    specs = graph(repo_dir, unique_repo("bklocal"))
    report, log = run_on(builder, specs)
    assert report.ok, log + "".join(o.detail for o in report.outcomes.values())
    assert all((o.size or 0) > 1_000_000 for o in report.outcomes.values())  # busybox + a file, loaded
    out = subprocess.run(
        ["docker", "run", "--rm", specs[1].references[0], "cat", "/both"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (
        out.stdout
        == (repo_dir / "base" / "data.txt").read_text() + (repo_dir / "app" / "data.txt").read_text()
    )
    again, log2 = run_on(builder, specs)
    assert again.ok, log2
    assert (again.outcomes["base"].status, again.outcomes["app"].status) == ("built", "cached")
    subprocess.run(
        ["docker", "image", "rm", "-f", *specs[0].references, *specs[1].references],
        capture_output=True,
        check=False,
    )


def test_gate_failure_after_a_push_by_digest_leaves_no_tag(repo_dir: Path) -> None:
    """Pushed by digest, an image the gate (e.g. the vulnerability scan) rejects gets no tag at all, not even
    its content tag, so the next run checks it again; the manifest stays reachable only by digest."""
    _need(BUILDKIT_REMOTE)
    spec = graph(repo_dir, unique_repo("bkgate"))[0]
    seen: list[str] = []

    def gate(name: str, ref: str) -> None:
        seen.append(ref)
        raise BuildError(f"{name}: rejected by the test gate")

    report, log = run_on(BUILDKIT_REMOTE, [spec], push=True, gate=gate)
    assert not report.ok and report.outcomes["base"].status == "failed", log
    repo = spec.repositories[0]
    assert seen == [f"{repo}@{report.outcomes['base'].digest}"]
    assert tags_of(repo) == {}
    assert ClientManifestStore().head(repo, report.outcomes["base"].digest) == report.outcomes["base"].digest  # type: ignore[arg-type]


def test_atomic_publish_on_a_remote_builder(repo_dir: Path) -> None:
    _need(BUILDKIT_REMOTE)
    specs = graph(repo_dir, unique_repo("bkatomic"))
    report, log = run_on(BUILDKIT_REMOTE, specs, push=True, atomic=True)
    assert report.ok, log + "".join(o.detail for o in report.outcomes.values())
    for spec in specs:
        out = report.outcomes[spec.name]
        assert set(tags_of(spec.repositories[0])) == {"1.0", "latest", f"content-{out.content_hash[:32]}"}  # type: ignore[index]
        assert set(tags_of(spec.repositories[0]).values()) == {out.digest}


def test_multinode_index_each_platform_built_with_provenance(repo_dir: Path) -> None:
    """Two daemons, one index: linux/arm64 runs under QEMU on the second node; provenance for both."""
    _need(BUILDKIT_MULTINODE)
    nonce = uuid.uuid4().hex
    spec = BuildSpec(
        "arch",
        f"FROM busybox\nRUN echo {nonce} > /nonce && uname -m > /arch\n",
        repo_dir / "base",
        (f"{PLAIN_REGISTRY}/{unique_repo('bk')}/arch:1",),
        platforms=("linux/amd64", "linux/arm64"),
        provenance="max",
    )
    report, log = run_on(BUILDKIT_MULTINODE, [spec], push=True)
    assert report.ok, log + report.outcomes["arch"].detail
    repo = spec.repositories[0]
    index = manifest(repo, "1")
    kinds = [m.get("annotations", {}).get("vnd.docker.reference.type") for m in index["manifests"]]  # type: ignore[attr-defined]
    assert kinds.count("attestation-manifest") == 2
    per_platform = platform_manifests(repo, "1")
    assert image_files(repo, per_platform["linux/arm64"])["arch"] == b"aarch64\n"
    assert image_files(repo, per_platform["linux/amd64"])["arch"] == b"x86_64\n"
    # each daemon ran the step once: one platform per node (one daemon doing both would hold two records)
    for addr in DAEMONS:
        records = buildctl(addr, "du", "--verbose", "--filter", f"description~={nonce}")
        assert records.returncode == 0, records.stderr
        assert records.stdout.count("Description:") == 1, (addr, records.stdout)


def test_registry_cache_exported_by_one_builder_is_used_by_another(repo_dir: Path) -> None:
    """The docker-container daemon exports mode=max cache to the registry; the remote daemon, which never
    ran the step, imports it: the step is not run again (its random output is the first build's)."""
    _need(BUILDKIT_CONTAINER, BUILDKIT_REMOTE)
    ns = unique_repo("bkcache")
    cache = f"type=registry,ref={PLAIN_REGISTRY}/{ns}/cache:buildcache"
    dockerfile = "FROM busybox\nCOPY data.txt /d\nRUN cat /proc/sys/kernel/random/uuid > /random\n"
    first = BuildSpec(
        "c", dockerfile, repo_dir / "base", (f"{PLAIN_REGISTRY}/{ns}/one:1",), cache_to=(cache + ",mode=max",)
    )
    report, log = run_on(BUILDKIT_CONTAINER, [first], push=True)
    assert report.ok, log + report.outcomes["c"].detail
    assert step_result(log, "RUN cat") == "DONE"
    second = replace(first, references=(f"{PLAIN_REGISTRY}/{ns}/two:1",), cache_to=(), cache_from=(cache,))
    report2, log2 = run_on(BUILDKIT_REMOTE, [second], push=True)
    assert report2.ok, log2 + report2.outcomes["c"].detail
    assert "importing cache manifest from " + cache.split("ref=")[1] in log2
    one = image_files(first.repositories[0], report.outcomes["c"].digest)  # type: ignore[arg-type]
    two = image_files(second.repositories[0], report2.outcomes["c"].digest)  # type: ignore[arg-type]
    assert one["random"] == two["random"]
    # the same image (the manifests differ only by the push-time annotation)
    config = [
        manifest(r, o.digest)["config"]
        for r, o in (
            (first.repositories[0], report.outcomes["c"]),
            (second.repositories[0], report2.outcomes["c"]),
        )
    ]  # type: ignore[arg-type]
    assert config[0] == config[1]


@pytest.mark.parametrize("builder", [BUILDKIT_REMOTE, BUILDKIT_CONTAINER])
def test_secret_reaches_the_remote_step_and_nothing_else(
    builder: str, repo_dir: Path, tmp_path: Path
) -> None:
    _need(builder)
    value = "s3cr3t-" + uuid.uuid4().hex
    src = tmp_path / "token"
    src.write_text(value)
    spec = BuildSpec(
        "sec",
        f"FROM busybox\nRUN --mount=type=secret,id=tok echo {uuid.uuid4().hex} && cat /run/secrets/tok"
        " && wc -c < /run/secrets/tok > /size\n",
        repo_dir / "base",
        (f"{PLAIN_REGISTRY}/{unique_repo('bksec')}/sec:1",),
        secrets=(SecretSpec("tok", src=src),),
    )
    report, log = run_on(builder, [spec], push=True)
    assert report.ok, log + report.outcomes["sec"].detail
    assert value not in log and "***" in log
    files = image_files(spec.repositories[0], report.outcomes["sec"].digest)  # type: ignore[arg-type]
    assert files["size"].strip() == str(len(value)).encode()  # type: ignore[union-attr]
    assert not any(isinstance(v, bytes) and value.encode() in v for v in files.values())


def test_ssh_agent_is_forwarded_to_the_remote_daemon(agent: str, repo_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    _need(BUILDKIT_REMOTE)
    ctx = _ssh_add_context(tmp_path)
    spec = BuildSpec(
        "ssh",
        "FROM debian:bookworm\nARG NONCE\n"
        "RUN --mount=type=bind,target=/t --mount=type=ssh "
        'echo "nonce $NONCE" && LD_LIBRARY_PATH=/t /t/ssh-add -l\n',
        ctx,
        (f"dockgen-test/ssh-remote:{uuid.uuid4().hex[:8]}",),
        build_args={"NONCE": uuid.uuid4().hex},
        ssh=("default",),
    )
    report, log = run_on(BUILDKIT_REMOTE, [spec])
    assert report.ok, log + report.outcomes["ssh"].detail
    assert agent in log


def test_same_commit_on_two_builders_gives_the_same_digest(repo_dir: Path, tmp_path: Path) -> None:
    """Two checkouts of one commit (file times far apart) built on two different daemons: with
    SOURCE_DATE_EPOCH and rewrite-timestamp=true the image (and, with the same push-time annotation, the
    manifest) is bit for bit the same; layer file times are the commit time."""
    _need(BUILDKIT_REMOTE, BUILDKIT_CONTAINER)
    checkouts = []
    # checkouts are younger than the commit (rewrite-timestamp clamps newer file times to the commit's)
    for i, when in enumerate((COMMIT_EPOCH + 3_600, COMMIT_EPOCH + 86_400 * 200)):
        dest = tmp_path / f"checkout{i}"
        git(tmp_path, "clone", "-q", str(repo_dir), str(dest))
        for f in dest.rglob("*"):
            if ".git" not in f.parts:
                os.utime(f, (when, when))
        checkouts.append(dest)
    ns = unique_repo("bkrepro")
    results = []
    for builder, root in zip((BUILDKIT_REMOTE, BUILDKIT_CONTAINER), checkouts, strict=True):
        spec = BuildSpec(
            "r",
            "FROM busybox\nCOPY data.txt /d\nRUN cp /d /copy\n",
            root / "base",
            (f"{PLAIN_REGISTRY}/{ns}/{builder}:1",),
        )
        report, log = run_on(builder, [spec], push=True, pushed_at="2024-05-01T12:00:00Z")
        assert report.ok, log + report.outcomes["r"].detail
        results.append((spec.repositories[0], report.outcomes["r"].digest))
    (repo_a, digest_a), (repo_b, digest_b) = results
    assert digest_a == digest_b
    files = image_files(repo_a, digest_a)  # type: ignore[arg-type]
    assert files["mtime:d"].mtime == COMMIT_EPOCH  # type: ignore[union-attr]
    assert manifest(repo_a, digest_a) == manifest(repo_b, digest_b)  # type: ignore[arg-type]


def test_export_push_failure_is_retried_on_a_remote_builder(repo_dir: Path) -> None:
    """The registry refuses the manifest more often than BuildKit itself retries: the export fails and
    dockgen runs the (fully cached) build again, which pushes (by digest), then tags. (The engine's own
    BuildKit cannot be pointed at the fault proxy: it speaks HTTPS to any registry not configured as
    insecure.)"""
    _need(BUILDKIT_REMOTE)
    with FaultProxy(f"http://{PLAIN_REGISTRY}") as proxy:
        spec = BuildSpec(
            "retry",
            f"FROM busybox\nRUN echo {uuid.uuid4().hex} > /n\n",
            repo_dir / "base",
            (f"{proxy.addr}/{unique_repo('bkretry')}/retry:1",),
        )
        proxy.script(Fault.status(503, times=8, method="PUT", path=r"/manifests/sha256:"))
        started = time.monotonic()
        report, log = run_on(BUILDKIT_REMOTE, [spec], push=True)
        assert report.ok, log + report.outcomes["retry"].detail
        assert "export/push failed" in log and "retry 1" in log
        puts = [r for r in proxy.log if r.method == "PUT" and "/manifests/sha256:" in r.path]
        assert len(puts) > 8
        assert time.monotonic() - started < 120
    path = split_reference(spec.references[0])[0].split("/", 1)[1]
    assert tags_of(f"{PLAIN_REGISTRY}/{path}")["1"] == report.outcomes["retry"].digest


def test_configured_builder_publishes_what_the_engine_recognises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``[tool.dockgen.build] builder = ...`` sends the build to the remote daemon (layer times clamped to
    the commit: only a non-docker driver can do that); the engine's own builder then finds every image
    already published under the same content hash."""
    _need(BUILDKIT_REMOTE)
    from tests.builders.test_commands import BUILD_FILE

    for name in ("base", "app", "tool"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "data.txt").write_text(f"{name} {uuid.uuid4().hex}\n")
    build_file = tmp_path / "build_images.py"
    ns = unique_repo("bkcli")
    build_file.write_text(BUILD_FILE.format(reg=PLAIN_REGISTRY, ns=ns))
    (tmp_path / "pyproject.toml").write_text(f'[tool.dockgen.build]\nbuilder = "{BUILDKIT_REMOTE}"\n')
    _commit(tmp_path)
    assert main(argv=["-f", str(build_file), "build", "--push", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [i["status"] for i in result["images"]] == ["pushed"] * 3
    repo = f"{PLAIN_REGISTRY}/{ns}/tool"
    files = image_files(repo, tags_of(repo)["1.2.3"])  # type: ignore[arg-type]
    assert files["mtime:tool.txt"].mtime == COMMIT_EPOCH  # type: ignore[union-attr]
    assert main(argv=["-f", str(build_file), "push", "--quiet", "--builder", "default"]) == 0
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()] == ["cached"] * 3


def test_configured_builder_must_be_a_builder_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dockgen.build]\ncache = "none"\nbuilder = 3\n')
    with pytest.raises(ConfigError) as err:
        load_build_config(tmp_path)
    assert "builder = 3: expected the name of a buildx builder" in err.value.message
    assert err.value.line == 3
    (tmp_path / "pyproject.toml").write_text('[tool.dockgen.build]\nbuilder = "buildkit-remote"\n')
    assert load_build_config(tmp_path).builder == "buildkit-remote"


def _tail(*lines: str) -> LogTail:
    tail = LogTail()
    for line in lines:
        tail.add(line)
    return tail


PUSH_FAILED = "ERROR: failed to solve: failed to push 127.0.0.1:5000/a/b: unknown: service down"


@pytest.mark.parametrize(
    ("status", "retried"),
    [("503 Service Unavailable", True), ("429 Too Many Requests", True), ("401 Unauthorized", False)],
)
def test_export_failure_is_judged_by_the_statuses_buildkit_saw(status: str, retried: bool) -> None:
    tail = _tail(
        "#5 [2/2] RUN apt-get install -y ca-certificates",  # build output never makes a failure final
        "#5 DONE 3.0s",
        "#6 exporting to image",
        f'#6 1.2 error: failed commit on ref "manifest-sha256:ab": unexpected status from PUT request to '
        f"http://127.0.0.1:5000/v2/a/b/manifests/sha256:ab: {status}",
        "#6 ERROR: failed to push 127.0.0.1:5000/a/b: unknown: service down",
        PUSH_FAILED,
    )
    assert _transient_export_failure(tail) is retried
