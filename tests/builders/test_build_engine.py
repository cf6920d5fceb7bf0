"""The build engine against the real Docker engine (buildx) and the local registries."""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest

from dockgen.builders.manifests import ClientManifestStore
from dockgen.builders.spec import BuildSpec, SecretSpec
from dockgen.labels import CONTENT_HASH_LABEL, OCI
from dockgen.reference import split_reference
from tests.builders.conftest import RunFn, three_images
from tests.support.infra import (
    AUTH_REGISTRY,
    PLAIN_REGISTRY,
    require_buildx,
    require_engine,
    require_registry,
)

pytestmark = [pytest.mark.docker, pytest.mark.buildx, pytest.mark.registry]


@pytest.fixture(autouse=True)
def _infra() -> None:
    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)


def tags_of(repo: str) -> dict[str, str | None]:
    store = ClientManifestStore()
    registry, _, path = repo.partition("/")
    client = store.client(registry)
    try:
        tags = client.list_tags(path)
    except Exception:
        return {}
    return {t: store.head(repo, t) for t in tags}


def config_labels(ref: str) -> dict[str, str]:
    out = subprocess.run(
        ["docker", "buildx", "imagetools", "inspect", "--format", "{{json .Image}}", ref],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    if "config" not in data:  # multi-platform: a map of platform -> image
        data = next(iter(data.values()))
    return dict(data["config"].get("Labels") or {})


def test_push_graph_then_nothing_changed_is_fast(project: Path, run: RunFn) -> None:
    specs = three_images(project)
    report, log = run(specs, push=True)
    assert report.ok, log + "\n".join(o.detail for o in report.outcomes.values())
    assert [o.status for o in report.outcomes.values()] == ["pushed", "pushed", "pushed"]
    for spec in specs:
        repo = spec.repositories[0]
        tags = tags_of(repo)
        digest = report.outcomes[spec.name].digest
        assert {t for t in tags if not t.startswith("content-")} == {"1.0", "1", "latest"}
        assert set(tags.values()) == {digest}, "every tag (and the content tag) names the same digest"
    # the dependent was pinned to the digest of the base built moments before
    app = specs[1].references[0]
    labels = config_labels(app)
    assert labels[f"{OCI}.base.digest"] == report.outcomes["base"].digest
    assert labels[f"{OCI}.source"] == "https://example.com/team/monorepo.git"  # credentials dropped
    assert labels[f"{OCI}.created"] == "2024-05-01T12:00:00Z"
    assert labels[CONTENT_HASH_LABEL] == report.outcomes["app"].content_hash
    assert "s3cr3t-t0ken" not in log

    started = time.monotonic()
    again, log2 = run(specs, push=True)
    took = time.monotonic() - started
    assert [o.status for o in again.outcomes.values()] == ["cached", "cached", "cached"], log2
    assert {n: o.digest for n, o in again.outcomes.items()} == {
        n: o.digest for n, o in report.outcomes.items()
    }
    assert took < 5, f"no-op run took {took:.1f}s"


def test_new_tag_on_unchanged_content_is_added_without_building(project: Path, run: RunFn) -> None:
    specs = three_images(project)[:1]
    first, _ = run(specs, push=True)
    more = [
        replace(
            specs[0], references=(*specs[0].references, specs[0].references[0].rsplit(":", 1)[0] + ":extra")
        )
    ]
    second, log = run(more, push=True)
    assert second.outcomes["base"].status == "cached", log
    assert second.outcomes["base"].tags_added == 1
    assert tags_of(specs[0].repositories[0])["extra"] == first.outcomes["base"].digest


def test_build_failure_names_image_step_and_log_tail(project: Path, run: RunFn) -> None:
    specs = three_images(project)
    broken = replace(specs[0], dockerfile="FROM busybox\nRUN echo about-to-fail && exit 3\n")
    report, _log = run([broken, *specs[1:]], push=False, jobs=1)
    base = report.outcomes["base"]
    assert base.status == "failed"
    assert "image 'base'" in base.detail and "RUN echo about-to-fail" in base.detail
    assert "exit code: 3" in base.detail and "last " in base.detail
    assert report.outcomes["app"].status == "skipped"  # its dependency failed
    assert (
        "dependency base failed" in report.outcomes["app"].detail
        or "not started" in report.outcomes["app"].detail
    )


def test_keep_going_builds_the_independent_image(project: Path, run: RunFn) -> None:
    specs = three_images(project)
    broken = replace(specs[0], dockerfile="FROM busybox\nRUN exit 1\n")
    report, _ = run([broken, *specs[1:]], keep_going=True, jobs=1)
    assert [o.status for o in report.outcomes.values()] == ["failed", "skipped", "built"]


def test_atomic_pushes_nothing_when_one_image_fails(project: Path, run: RunFn) -> None:
    specs = three_images(project)
    broken = replace(specs[2], dockerfile="FROM busybox\nRUN exit 1\n")
    report, log = run([*specs[:2], broken], push=True, atomic=True, keep_going=True)
    assert not report.ok
    for spec in specs:
        assert tags_of(spec.repositories[0]) == {}, f"{spec.name} was published despite --atomic"
    assert "nothing pushed" in log


def test_atomic_success_publishes_all(project: Path, run: RunFn) -> None:
    specs = three_images(project)
    report, log = run(specs, push=True, atomic=True)
    assert report.ok, log
    for spec in specs:
        assert {t for t in tags_of(spec.repositories[0]) if not t.startswith("content-")} == {
            "1.0",
            "1",
            "latest",
        }


def test_secret_never_in_output_layers_or_history(project: Path, run: RunFn, tmp_path: Path) -> None:
    secret_value = "tOpSeCrEt-" + "9" * 12
    src = tmp_path / "token.txt"
    src.write_text(secret_value)
    spec = BuildSpec(
        "sec",
        # a unique first command: the step must really run (secrets do not change the cache key)
        f"FROM busybox\nRUN --mount=type=secret,id=tok echo run-{time.time_ns()} && cat /run/secrets/tok"
        " && wc -c /run/secrets/tok > /size\n",
        project / "base",
        (f"{PLAIN_REGISTRY}/build/sec{int(time.time() * 1000)}:1",),
        secrets=(SecretSpec("tok", src=src),),
    )
    report, log = run([spec], push=True, no_skip=True)
    assert report.ok, log
    assert secret_value not in log  # the RUN printed it; the log shows *** instead
    assert "***" in log
    history = subprocess.run(
        [
            "docker",
            "history",
            "--no-trunc",
            spec.references[0].rsplit(":", 1)[0]
            + ":"
            + "content-"
            + report.outcomes["sec"].content_hash[:32],
        ],  # type: ignore[index]
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert secret_value not in history
    saved = subprocess.run(
        [
            "docker",
            "image",
            "save",
            spec.references[0].rsplit(":", 1)[0] + ":content-" + report.outcomes["sec"].content_hash[:32],
        ],
        capture_output=True,
        check=True,
    ).stdout  # type: ignore[index]
    assert secret_value.encode() not in saved


def test_two_registries_same_digest(project: Path, run: RunFn) -> None:
    require_registry(AUTH_REGISTRY)
    specs = three_images(project, extra_registries=(AUTH_REGISTRY,))[:1]
    report, log = run(specs, push=True)
    assert report.ok, log + report.outcomes["base"].detail
    digest = report.outcomes["base"].digest
    for repo in specs[0].repositories:
        assert set(tags_of(repo).values()) == {digest}, repo


def test_reproducible_same_commit_same_digest(project: Path, run: RunFn) -> None:
    spec = three_images(project)[0]
    local = replace(spec, references=(f"dockgen-repro/{project.name}:1",))
    # Both builds start cold: with the docker driver (no rewrite-timestamp) a layer cached from another
    # checkout of the same files would carry that checkout's file times.
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True, check=False)
    first, log = run([local], no_skip=True)
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True, check=False)
    second, log2 = run([local], no_skip=True)
    assert (
        first.outcomes["base"].digest and first.outcomes["base"].digest == second.outcomes["base"].digest
    ), log + log2


def test_multi_platform_index(project: Path, run: RunFn) -> None:
    spec = replace(three_images(project)[2], platforms=("linux/amd64", "linux/arm64"))
    report, log = run([spec], push=True)
    assert report.ok, log + report.outcomes["tool"].detail
    manifest = ClientManifestStore().get(spec.repositories[0], "1.0")
    data = json.loads(manifest.data)
    platforms = {
        f"{m['platform']['os']}/{m['platform']['architecture']}"
        for m in data["manifests"]
        if m["platform"]["os"] != "unknown"
    }
    assert platforms == {"linux/amd64", "linux/arm64"}


def test_dockerignore_matches_buildkit(tmp_path: Path) -> None:
    from dockgen.dockerignore import context_files

    files = [
        "a.md",
        "b.txt",
        "docs/x.md",
        "docs/keep.md",
        "src/m.py",
        "src/deep/n.py",
        "src/deep/n.pyc",
        "tmp/t",
        "x/tmp/y",
    ]
    for rel in files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / ".dockerignore").write_text("*.md\ndocs\n!docs/keep.md\n**/*.pyc\n*/tmp\ntmp\n")
    (tmp_path / "Dockerfile.x").write_text("FROM scratch\nCOPY . /\n")
    out = tmp_path.parent / (tmp_path.name + "-out")
    subprocess.run(
        [
            "docker",
            "buildx",
            "build",
            "-f",
            str(tmp_path / "Dockerfile.x"),
            "--output",
            f"type=local,dest={out}",
            str(tmp_path),
        ],
        capture_output=True,
        check=True,
    )
    sent = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    ours = sorted(context_files(tmp_path))
    assert ours == sent


def test_plan_prints_and_does_nothing(project: Path, run: RunFn) -> None:
    from dockgen.builders.plan import make_plan, render_plan
    from dockgen.builders.runner import BuildOptions

    specs = three_images(project)
    plan = make_plan(specs, BuildOptions(push=True))
    assert [s.action for s in plan.steps] == ["build+push"] * 3
    assert [s.wave for s in plan.steps] == [1, 2, 1]
    text = render_plan(plan)
    assert "app (after base)" in text and "nothing was built" in text
    assert tags_of(specs[0].repositories[0]) == {}
    run(specs, push=True)
    again = make_plan(specs, BuildOptions(push=True))
    assert [s.action for s in again.steps] == ["skip (content already pushed)"] * 3


def test_unreachable_dependency_reference_is_resolved_by_pin(project: Path, run: RunFn) -> None:
    """The dependent's FROM tag does not exist anywhere; only the pinned build context makes it work."""
    specs = three_images(project)
    report, log = run(specs, push=False)
    assert report.ok, log
    out = subprocess.run(
        ["docker", "run", "--rm", specs[1].references[0], "cat", "/app/both"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == "base\nprint('app')\n"
    assert split_reference(specs[1].references[0])[1] == "1.0"


def test_not_logged_in_is_actionable(
    project: Path, run: RunFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_registry(AUTH_REGISTRY)
    empty = tmp_path / "docker-config"
    empty.mkdir()
    (empty / "config.json").write_text("{}")
    monkeypatch.setenv("DOCKER_CONFIG", str(empty))
    spec = three_images(project, registry=AUTH_REGISTRY)[0]
    report, _log = run([spec], push=True)
    detail = report.outcomes["base"].detail
    assert report.outcomes["base"].status == "failed"
    assert f"not logged in to {AUTH_REGISTRY}" in detail, detail
    assert "login" in detail
