"""CI-aware tags: the kind of build read from GitHub Actions, GitLab CI and a plain git checkout, the tags it
gives (pr-<n>, edge, nightly, the git tag match), the outputs CI consumes, and -- on the real registry --
that a pull request build never publishes a release tag and ``latest`` never moves backwards."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dockgen.ci_env import CIEnv, detect_ci
from dockgen.ci_tags import CITagPolicy, apply_ci
from dockgen.cli import main
from dockgen.errors import DockgenError
from dockgen.tags import GitState, explain_tags
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry, unique_repo

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def given(
    ci: CIEnv, version: str | None = "1.2.3", existing: tuple[str, ...] = (), **policy: object
) -> list[str]:
    decisions = explain_tags(version, git=GitState(sha="abcdef1234"), existing=existing, now=NOW)
    out = apply_ci(decisions, ci, CITagPolicy.model_validate(policy), now=NOW)
    return [d.tag for d in out if d.given and d.tag]


@pytest.mark.parametrize(
    ("ci", "policy", "tags"),
    [
        (
            CIEnv("github", "pull_request", "feat", pr_number=42, default_branch="main"),
            {},
            ["sha-abcdef1", "pr-42"],
        ),
        (
            CIEnv("github", "pull_request", "main", pr_number=7, default_branch="main"),
            {},
            ["sha-abcdef1", "pr-7"],
        ),
        (
            CIEnv("github", "push", "main", default_branch="main"),
            {},
            ["1.2.3", "1.2", "1", "latest", "sha-abcdef1", "edge"],
        ),
        (
            CIEnv("github", "push", "main", default_branch="main"),
            {"edge": "main-latest"},
            ["1.2.3", "1.2", "1", "latest", "sha-abcdef1", "main-latest"],
        ),
        (
            CIEnv("gitlab", "push", "feature", default_branch="main"),
            {},
            ["1.2.3", "1.2", "1", "latest", "sha-abcdef1"],
        ),
        (
            CIEnv("gitlab", "schedule", "main", default_branch="main"),
            {"schedule": ("nightly-%Y%m%d",)},
            ["1.2.3", "1.2", "1", "latest", "sha-abcdef1", "edge", "nightly-20250102"],
        ),
        (
            CIEnv("github", "tag", tag="v1.2.3", default_branch="main"),
            {"tag_pattern": r"^v(\d+)\.(\d+)", "tag_group": 0},
            ["1.2.3", "1.2", "1", "latest", "sha-abcdef1", "v1.2"],
        ),
        (
            CIEnv("github", "tag", tag="release-2025.01", default_branch="main"),
            {"tag_pattern": r"^release-(?P<when>.+)$", "tag_group": "when"},
            ["1.2.3", "1.2", "1", "latest", "sha-abcdef1", "2025.01"],
        ),
    ],
    ids=[
        "pr",
        "pr-from-default-branch",
        "default-branch",
        "edge-name",
        "other-branch",
        "schedule",
        "match-group-0",
        "match-named",
    ],
)
def test_tags_per_kind_of_build(ci: CIEnv, policy: dict[str, object], tags: list[str]) -> None:
    assert given(ci, **policy) == tags


def test_git_tag_match_default_pattern_keeps_prerelease() -> None:
    ci = CIEnv("github", "tag", tag="v1.2.3-beta", default_branch="main")
    assert given(ci, version=None) == ["sha-abcdef1", "1.2.3-beta"]


def test_pr_never_gets_latest_even_when_the_version_is_the_highest() -> None:
    ci = CIEnv("gitlab", "pull_request", "feat", pr_number=3, default_branch="main")
    assert not {"latest", "1.2.3", "1.2", "1"} & set(given(ci, version="9.9.9"))


def test_latest_never_moves_backwards_on_a_tag_build() -> None:
    ci = CIEnv("github", "tag", tag="v1.1.9", default_branch="main")
    assert given(ci, version="1.1.9", existing=("2.0.0",)) == ["1.1.9", "1.1", "1", "sha-abcdef1"]


def test_bad_policy_and_group() -> None:
    with pytest.raises(ValueError, match="not a valid regular expression"):
        CITagPolicy(tag_pattern="(")
    with pytest.raises(DockgenError, match="has no group 3"):
        given(CIEnv("github", "tag", tag="v1.0.0"), tag_group=3)


def _event(tmp_path: Path, payload: dict[str, object]) -> str:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return str(path)


def test_github_environment(tmp_path: Path) -> None:
    base = {"GITHUB_ACTIONS": "true", "GITHUB_SHA": "f00", "GITHUB_REPOSITORY": "acme/app"}
    pr_event = _event(
        tmp_path,
        {"pull_request": {"number": 42, "head": {"sha": "bead"}}, "repository": {"default_branch": "trunk"}},
    )
    pr = detect_ci(
        environ={
            **base,
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_REF": "refs/pull/42/merge",
            "GITHUB_HEAD_REF": "feat/x",
            "GITHUB_EVENT_PATH": pr_event,
        }
    )
    assert (pr.provider, pr.event, pr.pr_number, pr.branch, pr.sha, pr.default_branch) == (
        "github",
        "pull_request",
        42,
        "feat/x",
        "bead",
        "trunk",
    )
    assert pr.repository_url == "https://github.com/acme/app"
    no_payload = detect_ci(
        environ={**base, "GITHUB_EVENT_NAME": "pull_request_target", "GITHUB_REF": "refs/pull/8/merge"}
    )
    assert no_payload.pr_number == 8
    push = detect_ci(
        environ={
            **base,
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REF": "refs/heads/trunk",
            "GITHUB_EVENT_PATH": pr_event,
        }
    )
    assert push.event == "push" and push.on_default_branch
    tag = detect_ci(environ={**base, "GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/tags/v2.0.0"})
    assert (tag.event, tag.tag) == ("tag", "v2.0.0")
    nightly = detect_ci(
        environ={
            **base,
            "GITHUB_EVENT_NAME": "schedule",
            "GITHUB_REF": "refs/heads/main",
            "DOCKGEN_DEFAULT_BRANCH": "main",
        }
    )
    assert nightly.event == "schedule" and nightly.on_default_branch


def test_gitlab_environment() -> None:
    base = {
        "GITLAB_CI": "true",
        "CI_DEFAULT_BRANCH": "main",
        "CI_COMMIT_SHA": "c0ffee",
        "CI_PROJECT_URL": "https://gitlab.example.com/g/app",
    }
    mr = detect_ci(
        environ={
            **base,
            "CI_PIPELINE_SOURCE": "merge_request_event",
            "CI_MERGE_REQUEST_IID": "17",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "fix",
        }
    )
    assert (mr.event, mr.pr_number, mr.branch) == ("pull_request", 17, "fix")
    tag = detect_ci(
        environ={
            **base,
            "CI_PIPELINE_SOURCE": "push",
            "CI_COMMIT_TAG": "v1.0.0",
            "CI_COMMIT_REF_NAME": "v1.0.0",
        }
    )
    assert (tag.event, tag.tag) == ("tag", "v1.0.0")
    sched = detect_ci(environ={**base, "CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"})
    assert sched.event == "schedule" and sched.on_default_branch
    web = detect_ci(environ={**base, "CI_PIPELINE_SOURCE": "web", "CI_COMMIT_BRANCH": "dev"})
    assert web.event == "manual" and not web.on_default_branch


def _repo(path: Path, branch: str = "main") -> None:
    for args in (
        ["init", "-q", "-b", branch],
        ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "x"],
    ):
        subprocess.run(["git", *args], cwd=path, check=True, capture_output=True)


def test_plain_git_checkout(tmp_path: Path) -> None:
    _repo(tmp_path)
    ci = detect_ci("auto", environ={}, project_dir=tmp_path)
    assert (ci.provider, ci.event, ci.branch, ci.default_branch, ci.on_default_branch) == (
        "git",
        "push",
        "main",
        "main",
        True,
    )
    for tag in ("v3.9.0", "v3.10.0", "zz-deploy"):
        subprocess.run(["git", "tag", tag], cwd=tmp_path, check=True)
    ci = detect_ci("git", environ={}, project_dir=tmp_path)
    assert (ci.event, ci.tag) == ("tag", "v3.10.0")  # the highest version tag, not the last name
    subprocess.run(["git", "checkout", "-q", "-b", "topic"], cwd=tmp_path, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "y"],
        cwd=tmp_path,
        check=True,
    )
    ci = detect_ci("git", environ={"DOCKGEN_DEFAULT_BRANCH": "main"}, project_dir=tmp_path)
    assert (ci.event, ci.branch, ci.on_default_branch) == ("push", "topic", False)


def test_cli_github_output_and_metadata_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "github_output"
    for key, value in {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_REF": "refs/pull/5/merge",
        "GITHUB_HEAD_REF": "feat",
        "GITHUB_SHA": "abc",
        "GITHUB_REPOSITORY": "acme/app",
        "GITHUB_OUTPUT": str(out),
    }.items():
        monkeypatch.setenv(key, value)
    argv = ["tags", "--name", "app", "--registry", "r.example.com", "--version", "1.0.0", "--ci", "auto"]
    assert main(argv=[*argv, "--github-output", "--metadata-json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t.rsplit(":", 1)[1] for t in data["tags"]][-1] == "pr-5"
    assert not any(t.endswith((":1.0.0", ":latest")) for t in data["tags"])
    assert data["version"] == "pr-5" and data["labels"]["org.opencontainers.image.revision"] == "abc"
    assert "manifest:org.opencontainers.image.source=https://github.com/acme/app" in data["annotations"]
    text = out.read_text()
    blocks: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        name, _, delimiter = line.partition("<<")
        body = []
        for inner in lines:
            if inner == delimiter:
                break
            body.append(inner)
        blocks[name] = "\n".join(body)
    assert set(blocks) == {"tags", "labels", "annotations", "version", "json"}
    assert "r.example.com/app:pr-5" in blocks["tags"] and blocks["version"] == "pr-5"
    monkeypatch.delenv("GITHUB_OUTPUT")
    assert main(argv=[*argv, "--github-output"]) == 2
    assert "$GITHUB_OUTPUT is not set" in capsys.readouterr().err
    assert main(argv=["tags", "--name", "app", "--edge-tag", "x"]) == 2
    assert "CI tag options need --ci" in capsys.readouterr().err


BUILD_FILE = """\
from dockgen import Copy, Image, Stage
images = [Image("svc", registry="{reg}", namespace="{ns}",
                stages=[Stage(base="busybox", steps=[Copy("data.txt", "/data.txt")])])]
"""


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.registry
def test_build_push_on_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PR build: pr-<n> and sha only. Tag v2.0.0: release tags + latest. Then tag v1.5.0: no latest."""
    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    from dockgen.registry import list_tags

    ns = unique_repo("ci")
    (tmp_path / "data.txt").write_text("data\n")
    (tmp_path / "build_images.py").write_text(BUILD_FILE.format(reg=PLAIN_REGISTRY, ns=ns))
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    repo = f"{PLAIN_REGISTRY}/{ns}/svc"
    gh = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "acme/svc",
        "GITHUB_SHA": "abc",
        "DOCKGEN_DEFAULT_BRANCH": "main",
    }
    for key, value in gh.items():
        monkeypatch.setenv(key, value)

    def build(event: str, ref: str, **extra: str) -> set[str]:
        monkeypatch.setenv("GITHUB_EVENT_NAME", event)
        monkeypatch.setenv("GITHUB_REF", ref)
        for key, value in extra.items():
            monkeypatch.setenv(key, value)
        assert main(argv=["build", "--push", "--ci", "auto", "-q"]) == 0, capsys.readouterr().err
        return {t for t in list_tags(repo) if not t.startswith("content-")}

    tags = build("pull_request", "refs/pull/9/merge", GITHUB_HEAD_REF="feature")
    assert {t for t in tags if not t.startswith("sha-")} == {"pr-9"}
    monkeypatch.delenv("GITHUB_HEAD_REF")
    tags = build("push", "refs/tags/v2.0.0")
    assert {"2.0.0", "2.0", "2", "latest"} <= tags
    (tmp_path / "data.txt").write_text("older line\n")
    tags = build("push", "refs/tags/v1.5.0")
    assert {"1.5.0", "1.5", "1"} <= tags
    digests = {t: _digest(repo, t) for t in ("latest", "2.0.0", "1.5.0")}
    assert digests["latest"] == digests["2.0.0"] != digests["1.5.0"]


def _digest(repo: str, tag: str) -> str | None:
    from dockgen.builders.manifests import ClientManifestStore

    return ClientManifestStore().head(repo, tag)
