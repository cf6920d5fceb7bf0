"""``dockgen prune`` against real registries: dry run, --yes, --json, shared digests, ages, refused deletes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dockgen.cli import main
from dockgen.lifecycle import ManifestGraph, RetentionPolicy, plan_prune, probe_delete, read_pushed_at
from dockgen.registry import RegistryClient, reachable_digests
from dockgen.registry import errors as E
from tests.lifecycle.conftest import DATA
from tests.lifecycle.images import (
    push_cosign_signature,
    push_image,
    push_index,
    push_tag_schema_referrer,
)
from tests.support.infra import PLAIN_REGISTRY

pytestmark = [pytest.mark.registry]

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
CONFIG = ["--config", str(DATA / "defaults.toml"), "--now", NOW.isoformat()]


def _days(n: int) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


def _history(client: RegistryClient, repo: str) -> dict[str, str]:
    old = push_index(client, repo, pushed_at=_days(300), tag="1.0.0")
    new = push_index(client, repo, pushed_at=_days(5), tag="2.0.0")
    client.tag(repo, "2.0.0", "latest")
    client.tag(repo, "2.0.0", "2.0")  # a moving tag: a delete candidate kept because 2.0.0 shares it
    branch = push_image(client, repo, pushed_at=_days(120), tag="feature-x")
    push_cosign_signature(client, repo, branch.digest)
    push_tag_schema_referrer(client, repo, old.digest)
    push_cosign_signature(client, repo, new.digest)
    return {"old": old.digest, "new": new.digest, "branch": branch.digest}


def test_dry_run_table_deletes_nothing(
    client: RegistryClient, repo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _history(client, repo)
    before = sorted(client.list_tags(repo))
    rc = main(argv=["prune", f"{PLAIN_REGISTRY}/{repo}", "--keep-last", "1", "--max-age-days", "30", *CONFIG])
    out = capsys.readouterr().out
    assert rc == 0
    assert sorted(client.list_tags(repo)) == before
    assert "dry run: nothing deleted" in out
    lines = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    assert "would delete" in lines["1.0.0"] and "release #2, older than the 1 newest" in lines["1.0.0"]
    assert (
        "would delete" in lines["feature-x"] and "branch tag pushed 120 days ago (> 30)" in lines["feature-x"]
    )
    assert "keep" in lines["2.0"] and "digest shared with retained tag 2.0.0" in lines["2.0"]
    assert "keep" in lines["latest"] and "in always_keep" in lines["latest"]
    assert "would delete 4 of 8 tags" in out  # 1.0.0, feature-x and their two artifact tags


def test_yes_deletes_and_keeps_what_retained_tags_need(
    client: RegistryClient, repo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    d = _history(client, repo)
    keep_closure = reachable_digests(client, repo, d["new"])
    gone_closure = reachable_digests(client, repo, d["old"]) | reachable_digests(client, repo, d["branch"])
    assert len(keep_closure) == 5  # index, 2 platforms, attestation, signature
    rc = main(
        argv=[
            "prune",
            f"{PLAIN_REGISTRY}/{repo}",
            "--yes",
            "--json",
            "--keep-last",
            "1",
            "--max-age-days",
            "30",
            *CONFIG,
        ]
    )
    out = capsys.readouterr()
    assert rc == 0, out.err
    report = json.loads(out.out)
    assert report["dry_run"] is False
    entry = report["repositories"][0]
    assert entry["delete_support"]["status"] == "enabled"
    assert set(entry["deleted"]) == gone_closure
    assert sorted(client.list_tags(repo)) == sorted(
        ["2.0.0", "latest", "2.0", d["new"].replace(":", "-") + ".sig"]
    )
    for digest in keep_closure:
        client.get_manifest(repo, digest)
    for digest in gone_closure:
        with pytest.raises(E.ManifestNotFoundError):
            client.get_manifest(repo, digest)
    # a second run has nothing left to do
    rc = main(argv=["prune", f"{PLAIN_REGISTRY}/{repo}", "--yes", "--json", "--keep-last", "1", *CONFIG])
    assert rc == 0 and json.loads(capsys.readouterr().out)["repositories"][0]["delete_digests"] == []


def test_graph_walk_agrees_with_reachable_digests(client: RegistryClient, repo: str) -> None:
    d = _history(client, repo)
    tags = client.list_tags(repo)
    graph = ManifestGraph.walk(client, repo, d.values(), tags)
    for digest in d.values():
        assert graph.closure([digest]) == reachable_digests(client, repo, digest, tags=tags)


def test_deleting_parent_first_leaves_no_dangling_index(client: RegistryClient, repo: str) -> None:
    idx = push_index(client, repo, pushed_at=_days(400), tag="old-branch")
    plan = plan_prune(client, repo, RetentionPolicy(max_age_days=30), now=NOW)
    assert plan.delete_digests[0] == idx.digest
    assert set(plan.delete_digests) == idx.manifests
    assert set(plan.untagged_children) == idx.manifests - {idx.digest}


@pytest.mark.parametrize(
    ("where", "source"),
    [("annotation", "annotation"), ("label", "label"), ("created", "created"), ("none", "unknown")],
)
def test_age_sources(client: RegistryClient, repo: str, where: str, source: str) -> None:
    when = _days(50)
    img = push_image(
        client, repo, pushed_at=when if where in ("annotation", "label") else None, where=where,
        created=when if where == "created" else None, tag="t",
    )  # fmt: skip
    got, src = read_pushed_at(client, repo, client.get_manifest(repo, img.digest))
    assert src == source
    assert got == (None if source == "unknown" else when)


def test_epoch_zero_created_is_not_an_age(client: RegistryClient, repo: str) -> None:
    img = push_image(client, repo, created=dt.datetime(1970, 1, 1, tzinfo=dt.UTC), tag="t")
    assert read_pushed_at(client, repo, client.get_manifest(repo, img.digest)) == (None, "unknown")


def test_env_groups_keep_their_own_releases(client: RegistryClient, repo: str) -> None:
    for i, tag in enumerate(["1.0.0-prod", "1.1.0-prod", "1.0.0", "1.1.0"]):
        push_image(client, repo, pushed_at=_days(10 + i), tag=tag)
    plan = plan_prune(client, repo, RetentionPolicy(keep_last_releases=1, envs=("prod",)), now=NOW)
    assert {t.tag for t in plan.deleted_tags} == {"1.0.0-prod", "1.0.0"}


def test_missing_repository_is_an_empty_plan(client: RegistryClient, repo: str) -> None:
    plan = plan_prune(client, repo, RetentionPolicy(), now=NOW)
    assert plan.tags == [] and plan.delete_digests == []


def test_registry_refusing_deletes(nodelete_registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    repo = "lifecycle/nodelete"
    with RegistryClient(nodelete_registry) as c:
        push_image(c, repo, pushed_at=_days(400), tag="old-branch")
        support = probe_delete(c, repo)
        assert support.status == "refused"
        assert support.hint is not None and "storage.delete.enabled" in support.hint
    ref = f"{nodelete_registry}/{repo}"
    assert main(argv=["prune", ref, *CONFIG]) == 0  # a dry run still shows the plan
    out = capsys.readouterr()
    assert "would delete" in out.out and "refuses deletes" in out.err
    assert main(argv=["prune", ref, "--yes", *CONFIG]) == 1
    out = capsys.readouterr()
    assert "nothing deleted" in out.out and "storage.delete.enabled" in out.err
    with RegistryClient(nodelete_registry) as c:
        assert c.list_tags(repo) == ["old-branch"]


@pytest.mark.parametrize(
    ("host", "needle"),
    [
        ("ghcr.io", "GitHub REST API"),
        ("docker.io", "Hub API"),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "--export ecr"),
        ("harbor.example.com", "--export harbor"),
    ],
)
def test_vendor_hints(host: str, needle: str) -> None:
    from dockgen.lifecycle.retention import vendor_delete_hint

    assert needle in vendor_delete_hint(host)


def test_prune_without_repository_outside_a_project(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(argv=["-f", "/nonexistent/build_images.py", "prune"])
    assert rc == 2
    assert "no repository given" in capsys.readouterr().err


def test_prune_next_to_build_images_prunes_every_declared_repository(
    client: RegistryClient,
    tmp_path: object,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without REPO, prune works on the repositories of the images build_images.py declares."""
    from pathlib import Path

    from tests.support.infra import unique_repo

    team = unique_repo("prune-project")
    for name in ("api", "worker"):
        repo = f"{team}/{name}"
        push_image(client, repo, pushed_at=_days(200), tag="0.9.0")
        push_image(client, repo, pushed_at=_days(1), tag="1.0.0")
        push_image(client, repo, pushed_at=_days(100), tag="feature-old")
    project = Path(str(tmp_path))
    (project / "build_images.py").write_text(
        "from dockgen import Image, Stage\n"
        f"images = [Image(n, registry='{PLAIN_REGISTRY}', namespace='{team}', stages=[Stage(base='busybox')],"
        " dockerfile=f'{n}.Dockerfile') for n in ('api', 'worker')]\n"
    )
    monkeypatch.chdir(project)
    rc = main(argv=["prune", "--keep-last", "5", "--max-age-days", "30", "--yes", "--json", *CONFIG])
    out = capsys.readouterr()
    assert rc == 0, out.err
    report = json.loads(out.out)
    pruned = sorted(r["repository"] for r in report["repositories"])
    assert len(pruned) == 2
    assert pruned[0].endswith(f"{team}/api") and pruned[1].endswith(f"{team}/worker")
    for name in ("api", "worker"):
        assert sorted(client.list_tags(f"{team}/{name}")) == ["0.9.0", "1.0.0"]


def test_env_suffixed_release_without_env_option_survives(
    client: RegistryClient, repo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tags dockgen computes for env staging (1.0.0-staging, 1.0-staging, 1-staging, latest-staging) name
    their env themselves: `prune --keep-last 1` with no --env keeps the newest release of the env (it used
    to read them as pre-release/branch tags and delete all four), and deletes the older one."""
    old = push_image(client, repo, pushed_at=_days(200), tag="0.9.0-staging")
    new = push_image(client, repo, pushed_at=_days(120), tag="1.0.0-staging")
    for t in ("1.0-staging", "1-staging", "latest-staging"):
        client.tag(repo, "1.0.0-staging", t)
    rc = main(argv=["prune", f"{PLAIN_REGISTRY}/{repo}", "--keep-last", "1", "--yes", "--json", *CONFIG])
    out = capsys.readouterr()
    assert rc == 0, out.err
    planned = {t["tag"]: t for t in json.loads(out.out)["repositories"][0]["tags"]}
    assert planned["1.0.0-staging"]["kind"] == "release" and planned["1.0.0-staging"]["env"] == "staging"
    remaining = set(client.list_tags(repo))
    assert {"1.0.0-staging", "1.0-staging", "1-staging", "latest-staging"} <= remaining
    assert client.resolve(repo, "latest-staging") == new.digest
    assert "0.9.0-staging" not in remaining
    with pytest.raises(E.NotFoundError):
        client.get_manifest(repo, old.digest)


def test_content_tags_in_flight_and_orphaned(
    client: RegistryClient, repo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An image tagged only `content-<hash>` is a publish in progress while fresh or of unknown push time
    (prune used to delete it mid-push as an old 'branch' tag, reading the age from the commit-time `created`);
    an old one is a failed publish and goes; a content tag sharing a kept release's digest stays with it."""
    fresh = push_image(client, repo, pushed_at=NOW - dt.timedelta(minutes=5), tag="content-" + "1" * 32)
    by_created = push_image(client, repo, where="created", created=_days(400), tag="content-" + "2" * 32)
    orphan = push_image(client, repo, pushed_at=_days(200), tag="content-" + "3" * 32)
    release = push_image(client, repo, pushed_at=_days(200), tag="content-" + "4" * 32)
    client.tag(repo, release.digest, "2.0.0")
    rc = main(argv=["prune", f"{PLAIN_REGISTRY}/{repo}", "--keep-last", "1", "--yes", "--json", *CONFIG])
    out = capsys.readouterr()
    assert rc == 0, out.err
    planned = {t["tag"]: t for t in json.loads(out.out)["repositories"][0]["tags"]}
    assert planned["content-" + "1" * 32]["kind"] == "content"
    remaining = set(client.list_tags(repo))
    assert {"content-" + "1" * 32, "content-" + "2" * 32, "content-" + "4" * 32, "2.0.0"} <= remaining
    assert "content-" + "3" * 32 not in remaining
    for kept in (fresh, by_created, release):
        client.get_manifest(repo, kept.digest)
    with pytest.raises(E.NotFoundError):
        client.get_manifest(repo, orphan.digest)
