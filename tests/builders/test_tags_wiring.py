"""``dockgen build/push/plan`` tag images exactly as ``dockgen tags`` does: version from git or files, sha,
branch, build number, and ``latest`` never moving backwards past what the registry already has."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dockgen.cli import main
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry, unique_repo

BUILD_FILE = """\
from dockgen.models import Copy, Image, Stage
from dockgen.tags import TagPolicy

svc = Image("svc", registry="{reg}", namespace="{ns}",
            tags=TagPolicy(branch=True, build_number=True, templates=("{{version}}-{{sha}}",)),
            stages=[Stage(base="busybox", steps=[Copy("data.txt", "/data.txt")])])
images = [svc]
"""


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository on branch feature/x, tagged v2.1.0, with a build file declaring no version."""
    for name in ("GITHUB_RUN_NUMBER", "CI_PIPELINE_IID", "SOURCE_DATE_EPOCH", "DOCKGEN_VERSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BUILD_NUMBER", "77")
    (tmp_path / "data.txt").write_text("data\n")
    (tmp_path / "build_images.py").write_text(BUILD_FILE.format(reg=PLAIN_REGISTRY, ns=unique_repo("tagw")))
    git(tmp_path, "init", "-q", "-b", "feature/x")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    git(tmp_path, "tag", "v2.1.0")
    return tmp_path


def references(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The references ``plan --json`` or ``tags --json`` print."""
    assert main(argv=argv) == 0, capsys.readouterr().err
    data = json.loads(capsys.readouterr().out)
    if isinstance(data, list):  # dockgen tags
        return [row["reference"] for row in data]
    return [ref for step in data["steps"] for ref in step["references"]]


def test_plan_shows_the_references_dockgen_tags_prints(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_file = str(repo / "build_images.py")
    planned = references(["-f", build_file, "plan", "--offline", "--json"], capsys)
    tagged = references(["-f", build_file, "tags", "--json"], capsys)
    assert planned == tagged
    sha = git(repo, "rev-parse", "HEAD")[:7]
    tags = {ref.rsplit(":", 1)[1] for ref in planned}
    assert tags == {"2.1.0", "2.1", "2", "latest", f"sha-{sha}", "feature-x", "build-77", f"2.1.0-{sha}"}


def test_version_flag_and_file_version(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_file = str(repo / "build_images.py")
    planned = references(["-f", build_file, "plan", "--offline", "--json", "--version", "3.0.0-rc.1"], capsys)
    assert {r.rsplit(":", 1)[1] for r in planned} >= {"3.0.0-rc.1"}
    assert not any(r.endswith(":latest") for r in planned)  # a pre-release never moves latest
    # no version tag: the version comes from pyproject.toml
    git(repo, "tag", "-d", "v2.1.0")
    (repo / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.4.0"\n')
    planned = references(["-f", build_file, "plan", "--offline", "--json"], capsys)
    assert planned == references(["-f", build_file, "tags", "--json"], capsys)
    assert any(r.endswith(":0.4.0") for r in planned)


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.registry
def test_latest_never_moves_backwards(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After 3.0.0 is pushed, building 2.1.0 (the git tag) pushes 2.1.0/2.1/2 but not latest or 3."""
    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    build_file = str(repo / "build_images.py")
    assert main(argv=["-f", build_file, "build", "--push", "--quiet", "--version", "3.0.0"]) == 0
    capsys.readouterr()
    planned = references(["-f", build_file, "plan", "--push", "--json"], capsys)
    tagged = references(["-f", build_file, "tags", "--json", "--existing-from-registry"], capsys)
    assert planned == tagged
    tags = {r.rsplit(":", 1)[1] for r in planned}
    assert "2.1.0" in tags and "2.1" in tags and "2" in tags
    assert "latest" not in tags
    assert main(argv=["-f", build_file, "push", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    pushed = result["images"][0]["references"]
    assert not any(r.endswith(":latest") for r in pushed)
    from dockgen.registry import list_tags

    svc = pushed[0].rsplit(":", 1)[0]
    have = set(list_tags(svc))
    assert {"3.0.0", "3.0", "3", "latest", "2.1.0", "2.1", "2"} <= have


def test_unreadable_tags_fail_closed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """3.0.0 is published; publishing 2.1.0 while the registry answers 503 to tags/list (after every retry)
    must not move latest/2 back to 2.1.0: the run stops before pushing anything (it used to push with only a
    note). --force-moving-tags is the explicit way through."""
    from dockgen.registry import RegistryClient
    from tests.lifecycle.images import push_image
    from tests.support.faults import Fault, FaultProxy

    require_registry(PLAIN_REGISTRY)
    ns = unique_repo("failclosed")
    with RegistryClient(PLAIN_REGISTRY) as client:
        release = push_image(client, f"{ns}/svc", tag="3.0.0").digest
        for t in ("3.0", "3", "latest"):
            client.tag(f"{ns}/svc", release, t)
    with FaultProxy(f"http://{PLAIN_REGISTRY}") as proxy:
        proxy.script(Fault.status(503, times=1000, method="GET", path=r"/tags/list"))
        (repo / "build_images.py").write_text(BUILD_FILE.format(reg=proxy.addr, ns=ns))
        build_file = str(repo / "build_images.py")
        for command in (["plan", "--push"], ["push"]):
            rc = main(argv=["-f", build_file, *command, "--version", "2.1.0"])
            err = capsys.readouterr().err
            assert rc == 1, err
            assert "could not list the tags of" in err and "--force-moving-tags" in err, err
            assert "Traceback" not in err
        assert proxy.count(method="PUT") == 0, "something was pushed"
    with RegistryClient(PLAIN_REGISTRY) as client:
        assert {t: client.resolve(f"{ns}/svc", t) for t in ("latest", "3")} == dict.fromkeys(
            ("latest", "3"), release
        )
