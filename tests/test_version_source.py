"""dockgen._version_source against real git repositories and real files in a temporary directory."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from dockgen._version_source import (
    build_number_from_env,
    detect_version,
    file_version,
    git_version,
    read_git_state,
    read_version_file,
)
from dockgen.errors import ConfigError, DockgenError
from dockgen.tags import compute_tags


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "t@example.com")
        self.git("config", "user.name", "t")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "tag.gpgsign", "false")
        self.n = 0

    def git(self, *args: str) -> str:
        env = {
            **os.environ,
            "GIT_COMMITTER_DATE": "2024-01-02T03:04:05Z",
            "GIT_AUTHOR_DATE": "2024-01-02T03:04:05Z",
        }
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def commit(self) -> str:
        self.n += 1
        (self.path / "file.txt").write_text(f"{self.n}\n")
        self.git("add", "file.txt")
        self.git("commit", "-q", "-m", f"change {self.n}")
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, annotated: bool = False) -> None:
        if annotated:
            self.git("tag", "-a", name, "-m", name)
        else:
            self.git("tag", name)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)


NO_CI: dict[str, str] = {}


def test_not_a_repository(tmp_path: Path) -> None:
    assert read_git_state(tmp_path, NO_CI) is None
    assert git_version(tmp_path) is None


def test_repository_without_commits(repo: Repo) -> None:
    state = read_git_state(repo.path, NO_CI)
    assert state is not None
    assert (state.sha, state.branch, state.tag, state.dirty, state.commit_time) == (
        None,
        "main",
        None,
        False,
        None,
    )
    assert git_version(repo.path) is None


def test_exact_tag_is_a_release(repo: Repo) -> None:
    sha = repo.commit()
    repo.tag("v1.2.0", annotated=True)
    state = read_git_state(repo.path, NO_CI)
    assert state is not None
    assert (state.sha, state.branch, state.tag, state.dirty) == (sha, "main", "v1.2.0", False)
    assert state.commit_time == 1704164645
    info = git_version(repo.path)
    assert info is not None and (info.version, info.source) == ("v1.2.0", "git tag v1.2.0")
    assert compute_tags(info.version, git=state) == ["1.2.0", "1.2", "1", "latest", f"sha-{sha[:7]}"]


def test_highest_of_several_tags_on_a_commit(repo: Repo) -> None:
    repo.commit()
    for name in ("deploy-prod", "v1.2.0-rc.3", "v1.2.0", "1.1.9"):
        repo.tag(name)
    info = git_version(repo.path)
    assert info is not None and info.version == "v1.2.0"


def test_only_prerelease_tag_on_commit(repo: Repo) -> None:
    repo.commit()
    repo.tag("v2.0.0-rc.1")
    info = git_version(repo.path)
    assert info is not None and info.version == "v2.0.0-rc.1"


def test_commits_after_a_tag_are_dev_versions(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.2.0")
    repo.commit()
    repo.commit()
    sha = repo.commit()
    info = git_version(repo.path)
    assert info is not None
    assert info.version == f"1.2.1-dev.3+g{sha[:7]}"
    assert info.source == "3 commits after git tag v1.2.0"
    state = read_git_state(repo.path, NO_CI)
    assert state is not None and state.tag is None
    assert compute_tags(info.version, git=state) == [f"1.2.1-dev.3_g{sha[:7]}", f"sha-{sha[:7]}"]


def test_nearest_non_version_tags_are_skipped(repo: Repo) -> None:
    repo.commit()
    repo.tag("1.4.0")
    repo.commit()
    repo.tag("deploy-prod")
    repo.tag("2024-release")  # matches the [0-9]* pattern but is not a version
    sha = repo.commit()
    info = git_version(repo.path, sha_length=10)
    assert info is not None and info.version == f"1.4.1-dev.2+g{sha[:10]}"


def test_dirty_tree_on_a_tag_is_not_a_release(repo: Repo) -> None:
    sha = repo.commit()
    repo.tag("v1.2.0")
    (repo.path / "untracked.txt").write_text("ignored, as with git describe --dirty\n")
    info = git_version(repo.path)
    assert info is not None and info.version == "v1.2.0"
    (repo.path / "file.txt").write_text("changed\n")
    info = git_version(repo.path)
    assert info is not None
    assert info.version == f"1.2.1-dev.0+g{sha[:7]}.dirty"
    assert "uncommitted" in info.source
    state = read_git_state(repo.path, NO_CI)
    assert state is not None and state.dirty
    assert compute_tags(info.version, git=state) == [f"1.2.1-dev.0_g{sha[:7]}.dirty", f"sha-{sha[:7]}-dirty"]


def test_dirty_after_tag(repo: Repo) -> None:
    repo.commit()
    repo.tag("1.0.0")
    sha = repo.commit()
    (repo.path / "file.txt").write_text("changed\n")
    repo.git("add", "file.txt")  # staged changes count too
    info = git_version(repo.path)
    assert info is not None and info.version == f"1.0.1-dev.1+g{sha[:7]}.dirty"


def test_detached_head_branch_from_ci(repo: Repo) -> None:
    sha = repo.commit()
    repo.git("checkout", "-q", "--detach", sha)
    state = read_git_state(repo.path, NO_CI)
    assert state is not None and state.branch is None
    for env, branch in [
        ({"GITHUB_HEAD_REF": "feature/x", "GITHUB_REF_NAME": "12/merge"}, "feature/x"),
        ({"GITHUB_REF_TYPE": "branch", "GITHUB_REF_NAME": "main"}, "main"),
        ({"GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v1.0.0"}, None),
        ({"CI_COMMIT_BRANCH": "develop"}, "develop"),
        ({"BRANCH_NAME": "jenkins-branch"}, "jenkins-branch"),
    ]:
        state = read_git_state(repo.path, env)
        assert state is not None and state.branch == branch, env


def test_no_version_tags_falls_back_to_files(repo: Repo) -> None:
    repo.commit()
    repo.tag("deploy-prod")
    (repo.path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.4.0"\n')
    assert git_version(repo.path) is None
    info = detect_version(repo.path)
    assert info is not None and (info.version, info.source) == ("0.4.0", "pyproject.toml [project]")
    assert detect_version(repo.path, "git") is None


def test_version_tags_win_over_files(repo: Repo) -> None:
    (repo.path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "9.9.9"\n')
    repo.commit()
    repo.tag("v1.0.0")
    info = detect_version(repo.path)
    assert info is not None and info.version == "v1.0.0"
    info = detect_version(repo.path, "file")
    assert info is not None and info.version == "9.9.9"


# --------------------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------------------

FILES = [
    (
        "project",
        "pyproject.toml",
        '[project]\nname = "x"\nversion = "1.2.0rc1"\n',
        "1.2.0rc1",
        "pyproject.toml [project]",
    ),
    (
        "poetry",
        "pyproject.toml",
        '[tool.poetry]\nname = "x"\nversion = "2.0.0"\n',
        "2.0.0",
        "pyproject.toml [tool.poetry]",
    ),
    (
        "project-wins",
        "pyproject.toml",
        '[project]\nversion = "1.0.0"\n[tool.poetry]\nversion = "2.0.0"\n',
        "1.0.0",
        "pyproject.toml [project]",
    ),
    ("dynamic", "pyproject.toml", '[project]\nname = "x"\ndynamic = ["version"]\n', None, None),
    ("no-version", "pyproject.toml", "[tool.ruff]\nline-length = 100\n", None, None),
    ("package-json", "package.json", '{"name": "web", "version": "3.1.4"}', "3.1.4", "package.json version"),
    ("package-json-none", "package.json", '{"name": "web"}', None, None),
]


@pytest.mark.parametrize(
    ("name", "content", "version", "source"), [f[1:] for f in FILES], ids=[f[0] for f in FILES]
)
def test_version_files(
    tmp_path: Path, name: str, content: str, version: str | None, source: str | None
) -> None:
    (tmp_path / name).write_text(content)
    info = file_version(tmp_path)
    assert (info.version, info.source) == (version, source) if info else version is None


def test_pyproject_without_version_falls_through_to_package_json(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\ndynamic = ["version"]\n')
    (tmp_path / "package.json").write_text(json.dumps({"version": "5.0.0"}))
    info = file_version(tmp_path)
    assert info is not None and info.version == "5.0.0"
    assert file_version(tmp_path / "nothing-here") is None


BAD_FILES = [
    ("toml-syntax", "pyproject.toml", '[project]\nversion = "1.0\n', "pyproject.toml:2:"),
    ("toml-type", "pyproject.toml", "[project]\nversion = 1\n", "must be a non-empty string"),
    ("toml-bad-version", "pyproject.toml", '[project]\nversion = "one"\n', "neither a SemVer nor a PEP 440"),
    ("json-syntax", "package.json", '{\n  "version": \n}', "package.json:3:1"),
    ("json-type", "package.json", '{"version": ["1"]}', "must be a non-empty string"),
]


@pytest.mark.parametrize(
    ("name", "content", "needle"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_bad_version_files(tmp_path: Path, name: str, content: str, needle: str) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(ConfigError) as err:
        read_version_file(tmp_path / name)
    assert needle in str(err.value)
    assert isinstance(err.value, DockgenError) and err.value.hint


BUILD_NUMBERS = [
    ({"GITHUB_RUN_NUMBER": "41", "BUILD_NUMBER": "9"}, "41"),
    ({"CI_PIPELINE_IID": "7"}, "7"),
    ({"BUILD_NUMBER": " 12 "}, "12"),
    ({"GITHUB_RUN_NUMBER": "", "BUILD_NUMBER": "3"}, "3"),
    ({}, None),
]


@pytest.mark.parametrize(
    ("environ", "expected"), BUILD_NUMBERS, ids=["github", "gitlab", "jenkins", "empty-skipped", "none"]
)
def test_build_number_from_env(environ: dict[str, str], expected: str | None) -> None:
    assert build_number_from_env(environ) == expected
