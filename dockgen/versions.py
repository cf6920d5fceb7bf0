"""Versions: SemVer 2.0.0 and PEP 440 parsing and ordering, and the version of a commit after a version tag.

Pure functions (no git, no files). :mod:`dockgen.tags` computes image tags from a :class:`Version`;
:mod:`dockgen._version_source` reads versions from git and project files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dockgen.errors import DockgenError

__all__ = ["Version", "dev_version", "parse_version", "try_parse_version"]

_NUM = r"(?:0|[1-9][0-9]*)"
_SEMVER_IDENT = rf"(?:{_NUM}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER_RE = re.compile(
    rf"(?P<major>{_NUM})\.(?P<minor>{_NUM})\.(?P<patch>{_NUM})"
    rf"(?:-(?P<pre>{_SEMVER_IDENT}(?:\.{_SEMVER_IDENT})*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)
_SEP = r"[-_.]?"
_PEP440_RE = re.compile(
    r"(?:(?P<epoch>[0-9]+)!)?"
    r"(?P<release>[0-9]+(?:\.[0-9]+)*)"
    rf"(?:{_SEP}(?P<pre_l>alpha|beta|preview|pre|rc|a|b|c){_SEP}(?P<pre_n>[0-9]+)?)?"
    rf"(?:-(?P<post_implicit>[0-9]+)|{_SEP}(?P<post_l>post|rev|r){_SEP}(?P<post_n>[0-9]+)?)?"
    rf"(?:{_SEP}(?P<dev_l>dev){_SEP}(?P<dev_n>[0-9]+)?)?"
    r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
    re.IGNORECASE,
)
_PRE_SPELLINGS = {
    "alpha": "a",
    "a": "a",
    "beta": "b",
    "b": "b",
    "c": "rc",
    "rc": "rc",
    "pre": "rc",
    "preview": "rc",
}


@dataclass(frozen=True)
class Version:
    """A parsed version. ``text`` is the version without any leading ``v``, build metadata kept after ``+``.

    SemVer text is kept as written; PEP 440 text is normalized (``1.2.0RC1`` -> ``1.2.0rc1``).
    """

    text: str
    release: tuple[int, ...]
    scheme: Literal["semver", "pep440"]
    pre: str | None = None
    post: int | None = None
    dev: int | None = None
    build: str | None = None
    v_prefix: str = ""

    @property
    def stable(self) -> bool:
        """A final release (a PEP 440 post-release counts): no pre-release or dev part."""
        return self.pre is None and self.dev is None

    @property
    def major(self) -> int:
        return self.release[0]

    @property
    def minor(self) -> int:
        return self.release[1] if len(self.release) > 1 else 0

    @property
    def patch(self) -> int:
        return self.release[2] if len(self.release) > 2 else 0

    def stable_key(self) -> tuple[tuple[int, ...], int]:
        """Order of stable versions: release (trailing zeros ignored, so 1.2 == 1.2.0), then post-release."""
        release = self.release
        while len(release) > 1 and release[-1] == 0:
            release = release[:-1]
        return release, -1 if self.post is None else self.post

    def in_line(self, prefix: tuple[int, ...]) -> bool:
        """Whether this version belongs to the line ``prefix`` (``(1, 2)`` is the 1.2 line)."""
        padded = self.release + (0,) * max(0, len(prefix) - len(self.release))
        return padded[: len(prefix)] == prefix

    def __str__(self) -> str:
        return self.text


def _strip_v(text: str) -> tuple[str, str]:
    if text[:1] in ("v", "V") and text[1:2].isdigit():
        return text[0], text[1:]
    return "", text


def try_parse_version(text: str) -> Version | None:
    """Parse a SemVer or PEP 440 version (leading ``v`` allowed); ``None`` if it is neither.

    SemVer is tried first, so ``1.2.0-1`` is a SemVer pre-release, not a PEP 440 post-release. PEP 440
    epochs other than ``0!`` are rejected with :class:`DockgenError` since a tag cannot carry ``!``.
    """
    prefix, body = _strip_v(text.strip())
    m = _SEMVER_RE.fullmatch(body)
    if m:
        return Version(
            text=body,
            release=(int(m["major"]), int(m["minor"]), int(m["patch"])),
            scheme="semver",
            pre=m["pre"],
            build=m["build"],
            v_prefix=prefix,
        )
    m = _PEP440_RE.fullmatch(body)
    if not m:
        return None
    if m["epoch"] is not None and int(m["epoch"]) != 0:
        raise DockgenError(
            f"version {text!r} has a PEP 440 epoch ({m['epoch']}!); epochs are not supported because '!' "
            "cannot appear in an image tag and dropping it would break the ordering",
            hint="tag the image with a version without an epoch (pass it explicitly with --version)",
        )
    release = tuple(int(part) for part in m["release"].split("."))
    pre = None
    if m["pre_l"]:
        pre = f"{_PRE_SPELLINGS[m['pre_l'].lower()]}{int(m['pre_n'] or 0)}"
    post = None
    if m["post_implicit"] is not None:
        post = int(m["post_implicit"])
    elif m["post_l"]:
        post = int(m["post_n"] or 0)
    dev = int(m["dev_n"] or 0) if m["dev_l"] else None
    local = re.sub(r"[-_]", ".", m["local"].lower()) if m["local"] else None
    canonical = ".".join(str(part) for part in release) + (pre or "")
    if post is not None:
        canonical += f".post{post}"
    if dev is not None:
        canonical += f".dev{dev}"
    if local:
        canonical += f"+{local}"
    return Version(
        text=canonical, release=release, scheme="pep440", pre=pre, post=post, dev=dev, build=local,
        v_prefix=prefix,
    )  # fmt: skip


def parse_version(text: str) -> Version:
    """Like :func:`try_parse_version` but raises :class:`DockgenError` for text that is not a version."""
    version = try_parse_version(text)
    if version is None:
        raise DockgenError(
            f"{text!r} is neither a SemVer version (1.2.3, 1.2.3-rc.1, 1.2.3+build.5) nor a PEP 440 version "
            "(1.2.3, 1.2.3rc1, 1.2.3.post1, 1.2.3.dev4)",
            hint="fix the version; for a fixed tag such as 'nightly' use a template (TagPolicy.templates)",
        )
    return version


def dev_version(last_tag: str, distance: int, sha: str, *, dirty: bool = False) -> str:
    """The version of a commit ``distance`` commits after the version tag ``last_tag``.

    A pre-release by construction, so it only ever gets its full tag:

    * SemVer release ``v1.2.0`` -> ``1.2.1-dev.5+gabc1234`` (next patch, ``dev.<distance>``)
    * SemVer pre-release ``1.3.0-rc.1`` -> ``1.3.0-rc.1.dev.5+gabc1234``
    * PEP 440 ``1.2.0`` (when not SemVer, e.g. ``1.2``) -> ``1.2.1.dev5+gabc1234``; ``1.2.0rc1`` -> ``1.2.0rc2.dev5+g...``;
      ``1.2.0.post1`` -> ``1.2.0.post2.dev5+g...``

    ``dirty`` appends ``.dirty`` to the build metadata (``distance`` 0 and dirty still gives a dev version:
    an uncommitted tree is never a release).
    """
    base = parse_version(last_tag)
    meta = f"g{sha}" + (".dirty" if dirty else "")
    if base.scheme == "semver":
        major, minor, patch = base.release
        if base.pre is not None:
            return f"{major}.{minor}.{patch}-{base.pre}.dev.{distance}+{meta}"
        return f"{major}.{minor}.{patch + 1}-dev.{distance}+{meta}"
    release = ".".join(str(p) for p in base.release)
    if base.dev is not None:  # a dev tag: keep counting from it
        head = base.text.split("+", 1)[0].rsplit(".dev", 1)[0]
        return f"{head}.dev{base.dev + distance}+{meta}"
    if base.post is not None:
        return f"{release}{base.pre or ''}.post{base.post + 1}.dev{distance}+{meta}"
    if base.pre is not None:
        label = base.pre.rstrip("0123456789")
        number = int(base.pre[len(label) :])
        return f"{release}{label}{number + 1}.dev{distance}+{meta}"
    bumped = ".".join(str(p) for p in (*base.release[:-1], base.release[-1] + 1))
    return f"{bumped}.dev{distance}+{meta}"
