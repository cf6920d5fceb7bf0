"""Where a version and the git state come from: git, ``pyproject.toml``, ``package.json``, CI environment.

This is the I/O half of :mod:`dockgen.tags` and :mod:`dockgen.versions` (which stay pure). Decisions, documented in docs/tags.md:

* A commit that a version tag points at (``git tag --points-at HEAD``), with a clean tree, is a **release**:
  its version is that tag (the highest one if several).
* Any other commit in a repository with version tags is a **dev build**: the nearest version tag below it
  (``git describe --tags`` semantics, non-version tags skipped) plus the distance, as a pre-release such as
  ``1.2.1-dev.5+gabc1234``. A dirty tree is always a dev build (``...+gabc1234.dirty``), even on a tag.
* Only when git has no version tag (or there is no git) is the version read from a file: ``pyproject.toml``
  (``[project] version``, then ``[tool.poetry] version``), then ``package.json`` (``version``). A file version
  in a tagged repository would otherwise turn every commit on main into a "release" that moves ``latest``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dockgen.errors import ConfigError, DockgenError
from dockgen.tags import GitState
from dockgen.versions import Version, dev_version, try_parse_version

__all__ = [
    "BUILD_NUMBER_VARIABLES",
    "VersionInfo",
    "build_number_from_env",
    "detect_version",
    "file_version",
    "git_version",
    "read_git_state",
]

BUILD_NUMBER_VARIABLES = ("GITHUB_RUN_NUMBER", "CI_PIPELINE_IID", "BUILD_NUMBER")
"""Checked in this order: GitHub Actions, GitLab CI, Jenkins (and most others using BUILD_NUMBER)."""

VersionSource = Literal["auto", "git", "file"]


@dataclass(frozen=True)
class VersionInfo:
    """A version and a human description of where it came from (``git tag v1.2.0``, ``pyproject.toml``...)."""

    version: str
    source: str


def build_number_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The CI build number: the first non-empty of :data:`BUILD_NUMBER_VARIABLES`."""
    env = os.environ if environ is None else environ
    for name in BUILD_NUMBER_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def _branch_from_env(environ: Mapping[str, str]) -> str | None:
    """CI checkouts are usually detached: ask the CI which branch this is."""
    if environ.get("GITHUB_HEAD_REF"):  # pull requests
        return environ["GITHUB_HEAD_REF"]
    if environ.get("GITHUB_REF_TYPE") == "branch" and environ.get("GITHUB_REF_NAME"):
        return environ["GITHUB_REF_NAME"]
    for name in ("CI_COMMIT_BRANCH", "BRANCH_NAME"):
        if environ.get(name):
            return environ[name]
    return None


# ---------------------------------------------------------------------------------------------------------
# git
# ---------------------------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str | None:
    """Run git; its stdout stripped, or ``None`` when git is missing or the command fails."""
    exe = shutil.which("git")
    if exe is None:
        return None
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            [exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _is_repo(path: Path) -> bool:
    return _git(path, "rev-parse", "--is-inside-work-tree") == "true"


def _version_tags_at_head(path: Path) -> list[tuple[str, Version]]:
    out = _git(path, "tag", "--points-at", "HEAD") or ""
    found: list[tuple[str, Version]] = []
    for name in out.splitlines():
        version = _parse_quietly(name)
        if version is not None:
            found.append((name, version))
    return found


def _parse_quietly(name: str) -> Version | None:
    try:
        return try_parse_version(name)
    except DockgenError:  # an epoch tag (1!2.0): not a usable version tag
        return None


def _best_tag(tags: list[tuple[str, Version]]) -> str | None:
    """The highest stable version tag; if none is stable, the alphabetically last pre-release tag."""
    stable = [t for t in tags if t[1].stable]
    if stable:
        return max(stable, key=lambda t: (t[1].stable_key(), t[0]))[0]
    return max(tags, key=lambda t: t[0])[0] if tags else None


def _dirty(path: Path) -> bool:
    """Tracked files changed (staged or not); untracked files do not count, as with ``git describe --dirty``."""
    return bool(_git(path, "status", "--porcelain", "--untracked-files=no"))


def read_git_state(path: Path, environ: Mapping[str, str] | None = None) -> GitState | None:
    """The git state of the work tree containing ``path``; ``None`` when it is not in a git work tree."""
    if not _is_repo(path):
        return None
    env = os.environ if environ is None else environ
    sha = _git(path, "rev-parse", "--verify", "-q", "HEAD")
    branch = _git(path, "symbolic-ref", "--short", "-q", "HEAD") or _branch_from_env(env)
    commit_time = _git(path, "show", "-s", "--format=%ct", "HEAD") if sha else None
    return GitState(
        sha=sha or None,
        branch=branch or None,
        tag=_best_tag(_version_tags_at_head(path)) if sha else None,
        dirty=_dirty(path) if sha else False,
        commit_time=int(commit_time) if commit_time and commit_time.isdigit() else None,
    )


_DESCRIBE_RE = re.compile(r"(?P<tag>.+)-(?P<distance>[0-9]+)-g(?P<sha>[0-9a-f]+)")


def git_version(path: Path, *, sha_length: int = 7) -> VersionInfo | None:
    """The version git gives this commit (see the module docs), or ``None`` (no git, no commit, no version tag)."""
    if not _is_repo(path):
        return None
    sha = _git(path, "rev-parse", "--verify", "-q", "HEAD")
    if not sha:
        return None
    short = sha[:sha_length]
    dirty = _dirty(path)
    exact = _best_tag(_version_tags_at_head(path))
    if exact is not None:
        if not dirty:
            return VersionInfo(exact, f"git tag {exact}")
        return VersionInfo(
            dev_version(exact, 0, short, dirty=True), f"git tag {exact} with uncommitted changes"
        )
    excluded: list[str] = []
    for _ in range(50):  # skip nearer tags that are not versions (deploy-prod, release-notes...)
        args = ["describe", "--tags", "--long", "--abbrev=40", "--match", "v[0-9]*", "--match", "[0-9]*"]
        args += [f"--exclude={name}" for name in excluded]
        described = _git(path, *args)
        m = _DESCRIBE_RE.fullmatch(described or "")
        if m is None:
            return None
        if _parse_quietly(m["tag"]) is None:
            excluded.append(m["tag"])
            continue
        distance = int(m["distance"])
        where = f"{distance} commit{'s' if distance != 1 else ''} after git tag {m['tag']}"
        if dirty:
            where += ", with uncommitted changes"
        return VersionInfo(dev_version(m["tag"], distance, short, dirty=dirty), where)
    return None


# ---------------------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------------------

_TOML_POS_RE = re.compile(r"\(at line (?P<line>[0-9]+), column (?P<col>[0-9]+)\)")


def _not_utf8(file: Path, exc: UnicodeDecodeError) -> ConfigError:
    return ConfigError(
        f"not UTF-8 text (byte {exc.start}: {exc.reason})",
        file=str(file),
        hint="save the file as UTF-8, or pass the version explicitly with --version",
    )


def _load_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as fh:
            return tomllib.load(fh)
    except UnicodeDecodeError as exc:
        raise _not_utf8(file, exc) from None
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        m = _TOML_POS_RE.search(text)
        raise ConfigError(
            _TOML_POS_RE.sub("", text).strip(),
            file=str(file),
            line=int(m["line"]) if m else None,
            column=int(m["col"]) if m else None,
            hint="fix the TOML syntax, or pass the version explicitly with --version",
        ) from None


def _checked(value: object, file: Path, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"{field} must be a non-empty string, not {value!r}",
            file=str(file),
            hint='write it as a string, e.g. version = "1.2.3"',
        )
    if try_parse_version(value) is None:
        raise ConfigError(
            f"{field} {value!r} is neither a SemVer nor a PEP 440 version",
            file=str(file),
            hint="use a version such as 1.2.3, 1.2.3-rc.1 or 1.2.3rc1",
        )
    return value.strip()


def read_version_file(file: Path) -> VersionInfo | None:
    """The version in one ``pyproject.toml`` or ``package.json``; ``None`` if the file declares none."""
    if file.name == "package.json":
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(
                exc.msg, file=str(file), line=exc.lineno, column=exc.colno, hint="fix the JSON syntax"
            ) from None
        except UnicodeDecodeError as exc:
            raise _not_utf8(file, exc) from None
        if isinstance(data, dict) and "version" in data:
            return VersionInfo(_checked(data["version"], file, "version"), f"{file.name} version")
        return None
    data = _load_toml(file)
    project = data.get("project")
    if isinstance(project, dict) and "version" in project:
        return VersionInfo(_checked(project["version"], file, "[project] version"), f"{file.name} [project]")
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if isinstance(poetry, dict) and "version" in poetry:
        return VersionInfo(
            _checked(poetry["version"], file, "[tool.poetry] version"), f"{file.name} [tool.poetry]"
        )
    return None


def file_version(directory: Path) -> VersionInfo | None:
    """The version from ``pyproject.toml`` then ``package.json`` in ``directory`` (a dynamic version is none)."""
    for name in ("pyproject.toml", "package.json"):
        file = directory / name
        if file.is_file():
            found = read_version_file(file)
            if found is not None:
                return found
    return None


def detect_version(
    directory: Path, source: VersionSource = "auto", *, sha_length: int = 7
) -> VersionInfo | None:
    """The version for a build in ``directory``: git (``auto``, ``git``), then files (``auto``, ``file``)."""
    if source in ("auto", "git"):
        found = git_version(directory, sha_length=sha_length)
        if found is not None or source == "git":
            return found
    return file_version(directory)
