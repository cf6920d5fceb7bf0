"""OCI labels filled in automatically from git and the declaration, and ``SOURCE_DATE_EPOCH``.

* ``org.opencontainers.image.created`` is the last commit's time (so two builds of one commit agree);
* ``source`` is the git remote URL with any credentials removed; ``revision`` the HEAD sha;
* ``version``, ``title``, ``description``, ``licenses``, ``url`` come from the declaration;
* ``base.name`` / ``base.digest`` name the final stage's base image.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

OCI = "org.opencontainers.image"
CONTENT_HASH_LABEL = "io.dockgen.content-hash"
PUSHED_AT_ANNOTATION = "io.dockgen.pushed-at"

# Labels that describe where an image came from rather than what it contains: they are left out of the
# content hash so a new commit that changes nothing in an image does not force a rebuild. (base.digest is
# covered by the hash's own record of every base image.)
VOLATILE_LABELS = frozenset({f"{OCI}.created", f"{OCI}.revision", f"{OCI}.base.digest"})


@dataclass(frozen=True)
class GitInfo:
    revision: str | None = None
    source: str | None = None
    commit_time: int | None = None
    """Unix time of the HEAD commit (committer date): the SOURCE_DATE_EPOCH."""


def _git(cwd: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def sanitize_url(url: str) -> str:
    """Drop user:password@ from a remote URL; turn scp-like ``git@host:path`` into ``https://host/path``."""
    scp = re.fullmatch(r"(?:[^@/]+@)?([^:/]+):(?!//)(.+)", url)
    if scp and "://" not in url:
        return f"https://{scp.group(1)}/{scp.group(2)}"
    parts = urlsplit(url)
    if parts.scheme and parts.hostname:
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        scheme = "https" if parts.scheme in ("ssh", "git+ssh", "git") else parts.scheme
        return urlunsplit((scheme, netloc, parts.path, "", ""))
    return url


def git_info(directory: Path) -> GitInfo:
    """What git knows about ``directory`` (all fields None outside a repository)."""
    revision = _git(directory, "rev-parse", "HEAD")
    remote = _git(directory, "remote", "get-url", "origin")
    if remote is None:
        remotes = _git(directory, "remote")
        if remotes:
            remote = _git(directory, "remote", "get-url", remotes.splitlines()[0])
    when = _git(directory, "log", "-1", "--format=%ct")
    return GitInfo(
        revision=revision,
        source=sanitize_url(remote) if remote else None,
        commit_time=int(when) if when and when.isdigit() else None,
    )


def rfc3339(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def oci_labels(
    *,
    git: GitInfo,
    title: str,
    version: str | None = None,
    description: str | None = None,
    licenses: str | None = None,
    url: str | None = None,
    base_name: str | None = None,
    base_digest: str | None = None,
) -> dict[str, str]:
    """The ``org.opencontainers.image.*`` labels; empty values are left out."""
    values = {
        "created": rfc3339(git.commit_time) if git.commit_time is not None else None,
        "source": git.source,
        "revision": git.revision,
        "version": version,
        "title": title,
        "description": description,
        "licenses": licenses,
        "url": url or git.source,
        "base.name": base_name,
        "base.digest": base_digest,
    }
    return {f"{OCI}.{k}": v for k, v in values.items() if v}


def stable_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """Labels without the volatile provenance ones (what the content hash covers)."""
    return {k: v for k, v in labels.items() if k not in VOLATILE_LABELS}
