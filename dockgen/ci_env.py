"""What kind of build this is, read from the CI environment: GitHub Actions, GitLab CI or a plain git checkout.

:func:`detect_ci` returns a :class:`CIEnv`: the event (push to a branch, a pull/merge request, a git tag, a
scheduled run), the branch or tag, the pull request number, the default branch, the commit and the
repository URL. :mod:`dockgen.ci_tags` turns it into tags (``pr-42``, ``edge``, ``nightly-20250101``...).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dockgen.errors import UsageError

__all__ = ["PROVIDERS", "CIEnv", "detect_ci"]

Provider = Literal["github", "gitlab", "git"]
Event = Literal["push", "pull_request", "tag", "schedule", "manual", "unknown"]
PROVIDERS = ("auto", "github", "gitlab", "git")


@dataclass(frozen=True)
class CIEnv:
    provider: Provider
    event: Event
    """``push`` (to a branch), ``pull_request`` (also GitLab merge requests), ``tag``, ``schedule``,
    ``manual`` (workflow_dispatch, a pipeline started from the web) or ``unknown``."""
    branch: str | None = None
    """The branch built (for a pull request: its source branch)."""
    tag: str | None = None
    """The git tag built (``v1.2.3``), for a tag event."""
    pr_number: int | None = None
    default_branch: str | None = None
    sha: str | None = None
    repository_url: str | None = None

    @property
    def on_default_branch(self) -> bool:
        return (
            self.event != "pull_request"
            and self.branch is not None
            and self.default_branch is not None
            and self.branch == self.default_branch
        )

    def describe(self) -> str:
        what = {
            "pull_request": f"pull request #{self.pr_number}" if self.pr_number else "pull request",
            "tag": f"tag {self.tag}",
            "push": f"push to {self.branch}",
            "schedule": f"scheduled run on {self.branch}",
            "manual": f"manual run on {self.branch}",
        }.get(self.event, "unknown event")
        default = f", default branch {self.default_branch}" if self.default_branch else ""
        return f"{self.provider}: {what}{default}"


def detect_ci(
    provider: str = "auto", *, environ: Mapping[str, str] | None = None, project_dir: Path | None = None
) -> CIEnv:
    """Read the CI environment. ``auto``: GitHub Actions when ``GITHUB_ACTIONS=true``, GitLab CI when
    ``GITLAB_CI=true``, else the git checkout in ``project_dir``."""
    env = os.environ if environ is None else environ
    if provider == "auto":
        if env.get("GITHUB_ACTIONS") == "true":
            provider = "github"
        elif env.get("GITLAB_CI") == "true":
            provider = "gitlab"
        else:
            provider = "git"
    if provider == "github":
        return _github(env)
    if provider == "gitlab":
        return _gitlab(env)
    if provider == "git":
        return _git_checkout(project_dir or Path.cwd(), env)
    raise UsageError(f"--ci {provider!r}: unknown CI", hint=f"use one of {', '.join(PROVIDERS)}")


def _github_event(env: Mapping[str, str]) -> dict[str, Any]:
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _github(env: Mapping[str, str]) -> CIEnv:
    payload = _github_event(env)
    name = env.get("GITHUB_EVENT_NAME", "")
    ref = env.get("GITHUB_REF", "")
    repo = payload.get("repository") if isinstance(payload.get("repository"), dict) else {}
    default = (repo or {}).get("default_branch") or env.get("DOCKGEN_DEFAULT_BRANCH") or None
    server, slug = env.get("GITHUB_SERVER_URL", "https://github.com"), env.get("GITHUB_REPOSITORY")
    common: dict[str, Any] = {
        "default_branch": default,
        "sha": env.get("GITHUB_SHA") or None,
        "repository_url": f"{server}/{slug}" if slug else None,
    }
    if name.startswith("pull_request"):
        pr = payload.get("pull_request") if isinstance(payload.get("pull_request"), dict) else {}
        number = (pr or {}).get("number") or payload.get("number")
        if not isinstance(number, int):
            found = re.fullmatch(r"refs/pull/([0-9]+)/(?:merge|head)", ref)
            number = int(found.group(1)) if found else None
        head = (pr or {}).get("head", {}) if isinstance((pr or {}).get("head"), dict) else {}
        sha = head.get("sha") if isinstance(head.get("sha"), str) else common["sha"]
        return CIEnv(
            "github",
            "pull_request",
            env.get("GITHUB_HEAD_REF") or None,
            None,
            number,
            **{**common, "sha": sha},
        )
    if ref.startswith("refs/tags/"):
        return CIEnv("github", "tag", None, ref.removeprefix("refs/tags/"), **common)
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    event: Event = {"push": "push", "schedule": "schedule", "workflow_dispatch": "manual"}.get(
        name, "unknown"
    )  # type: ignore[assignment]
    return CIEnv("github", event, branch, **common)


def _gitlab(env: Mapping[str, str]) -> CIEnv:
    source = env.get("CI_PIPELINE_SOURCE", "")
    common: dict[str, Any] = {
        "default_branch": env.get("CI_DEFAULT_BRANCH") or env.get("DOCKGEN_DEFAULT_BRANCH") or None,
        "sha": env.get("CI_COMMIT_SHA") or None,
        "repository_url": env.get("CI_PROJECT_URL") or None,
    }
    iid = env.get("CI_MERGE_REQUEST_IID", "")
    if source in ("merge_request_event", "external_pull_request_event") or iid:
        branch = env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME") or env.get("CI_COMMIT_REF_NAME") or None
        number = int(iid) if iid.isdigit() else None
        return CIEnv("gitlab", "pull_request", branch, None, number, **common)
    if env.get("CI_COMMIT_TAG"):
        return CIEnv("gitlab", "tag", None, env["CI_COMMIT_TAG"], **common)
    branch = env.get("CI_COMMIT_BRANCH") or env.get("CI_COMMIT_REF_NAME") or None
    event: Event = {"push": "push", "schedule": "schedule", "web": "manual", "api": "manual"}.get(
        source, "unknown"
    )  # type: ignore[assignment]
    return CIEnv("gitlab", event, branch, **common)


def _run_git(cwd: Path, *args: str) -> str | None:
    exe = shutil.which("git")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _git_checkout(project_dir: Path, env: Mapping[str, str]) -> CIEnv:
    """A plain checkout: a tag at HEAD is a tag build, else a push to the current branch. The default branch
    is ``$DOCKGEN_DEFAULT_BRANCH``, else what ``origin/HEAD`` points at, else ``init.defaultBranch``, else
    ``main``."""
    from dockgen.labels import sanitize_url

    sha = _run_git(project_dir, "rev-parse", "--verify", "-q", "HEAD")
    branch = _run_git(project_dir, "symbolic-ref", "--short", "-q", "HEAD")
    tags = (_run_git(project_dir, "tag", "--points-at", "HEAD") or "").split()
    origin_head = _run_git(project_dir, "symbolic-ref", "--short", "-q", "refs/remotes/origin/HEAD")
    default = (
        env.get("DOCKGEN_DEFAULT_BRANCH")
        or (origin_head.removeprefix("origin/") if origin_head else None)
        or _run_git(project_dir, "config", "init.defaultBranch")
        or "main"
    )
    remote = _run_git(project_dir, "remote", "get-url", "origin")
    common: dict[str, Any] = {
        "default_branch": default,
        "sha": sha,
        "repository_url": sanitize_url(remote) if remote else None,
    }
    if tags:
        from dockgen._version_source import read_git_state

        state = read_git_state(project_dir, env)
        best = state.tag if state is not None and state.tag else sorted(tags)[-1]  # the highest version tag
        return CIEnv("git", "tag", branch, best, **common)
    return CIEnv("git", "push" if branch else "unknown", branch, **common)
