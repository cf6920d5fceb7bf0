"""Image references: ``[registry[:port]/]name[:tag][@algo:hex]`` with Docker Hub normalisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockgen.registry.errors import InvalidReferenceError

DOCKER_HUB = "docker.io"
"""The canonical name of Docker Hub in references."""
DOCKER_HUB_API = "registry-1.docker.io"
"""The host that actually serves Docker Hub's distribution API."""
DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/"
"""The key Docker uses for Docker Hub in ``config.json`` and with credential helpers."""

_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_NAME_RE = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_TAG_RE = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$")
_SHA256_RE = re.compile(r"^sha256:[a-f0-9]{64}$")
_HOST_RE = re.compile(
    r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::\d+)?$"
)


def normalize_registry(host: str) -> str:
    """``index.docker.io`` / ``https://index.docker.io/v1/`` / ``registry-1.docker.io`` -> ``docker.io``."""
    h = host.strip()
    for prefix in ("https://", "http://"):
        if h.startswith(prefix):
            h = h[len(prefix) :]
    h = h.split("/", 1)[0].lower()
    return DOCKER_HUB if h in _HUB_ALIASES else h


def api_host(registry: str) -> str:
    """The host serving the distribution API for a (normalised) registry name."""
    r = normalize_registry(registry)
    return DOCKER_HUB_API if r == DOCKER_HUB else r


def is_digest(value: str) -> bool:
    return bool(_DIGEST_RE.match(value))


def check_digest(value: str) -> str:
    if not _SHA256_RE.match(value) and not _DIGEST_RE.match(value):
        raise InvalidReferenceError(
            f"{value!r} is not a digest", hint="a digest looks like sha256:<64 lowercase hex digits>"
        )
    return value


@dataclass(frozen=True)
class Reference:
    """A parsed image reference. ``registry`` is normalised (``docker.io`` for Docker Hub)."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @property
    def reference(self) -> str:
        """What goes after ``/manifests/``: the digest when there is one, else the tag (default ``latest``)."""
        return self.digest or self.tag or "latest"

    @property
    def api_host(self) -> str:
        return api_host(self.registry)

    @property
    def name(self) -> str:
        """``registry/repository`` without tag or digest."""
        return f"{self.registry}/{self.repository}"

    def with_tag(self, tag: str) -> Reference:
        return Reference(self.registry, self.repository, tag=_check_tag(tag), digest=None)

    def with_digest(self, digest: str) -> Reference:
        return Reference(self.registry, self.repository, tag=self.tag, digest=check_digest(digest))

    def __str__(self) -> str:
        out = self.name
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out

    @property
    def familiar(self) -> str:
        """How ``docker`` prints it: ``nginx:1.25`` rather than ``docker.io/library/nginx:1.25``."""
        text = str(self)
        if self.registry == DOCKER_HUB:
            text = text[len(DOCKER_HUB) + 1 :]
            if text.startswith("library/"):
                text = text[len("library/") :]
        return text


def _check_tag(tag: str) -> str:
    if not _TAG_RE.match(tag):
        raise InvalidReferenceError(
            f"invalid tag {tag!r}",
            hint="a tag is 1-128 characters: letters, digits, '_', '.' and '-', not starting with '.' or '-'",
        )
    return tag


def parse_reference(text: str, *, default_registry: str = DOCKER_HUB) -> Reference:
    """Parse ``[registry[:port]/]name[:tag][@digest]`` the way ``docker`` does.

    The first path component is a registry when it contains ``.`` or ``:`` or is ``localhost``; otherwise the
    reference is on ``default_registry`` (Docker Hub), where one-component names get ``library/``. No tag and
    no digest leaves both ``None`` (``Reference.reference`` then means ``latest``).
    """
    raw = text.strip()
    if not raw:
        raise InvalidReferenceError(
            "empty image reference", hint="write e.g. registry.example.com/team/app:1.0"
        )
    for scheme in ("https://", "http://"):
        if raw.startswith(scheme):
            raw = raw[len(scheme) :]
    digest: str | None = None
    if "@" in raw:
        raw, digest = raw.split("@", 1)
        if not is_digest(digest):
            raise InvalidReferenceError(
                f"invalid digest in image reference {text!r}",
                hint="a digest looks like sha256:<64 lowercase hex digits>",
            )
    tag: str | None = None
    slash = raw.rfind("/")
    colon = raw.rfind(":")
    if colon > slash:
        raw, tag = raw[:colon], raw[colon + 1 :]
        _check_tag_in(tag, text)
    first, sep, rest = raw.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first.startswith("[")):
        if not _HOST_RE.match(first):
            raise InvalidReferenceError(f"invalid registry host {first!r} in image reference {text!r}")
        registry, name = normalize_registry(first), rest
    else:
        registry, name = normalize_registry(default_registry), raw
    if registry == DOCKER_HUB and "/" not in name:
        name = f"library/{name}"
    if not _NAME_RE.match(name):
        hint = "repository names are lowercase letters, digits and separators (. _ __ -), joined by /"
        if name.lower() != name:
            hint = "repository names must be lowercase"
        raise InvalidReferenceError(
            f"invalid repository name {name!r} in image reference {text!r}", hint=hint
        )
    if len(name) > 255:
        raise InvalidReferenceError(f"repository name in {text!r} is longer than 255 characters")
    return Reference(registry=registry, repository=name, tag=tag, digest=digest)


def _check_tag_in(tag: str, text: str) -> None:
    if not _TAG_RE.match(tag):
        raise InvalidReferenceError(
            f"invalid tag {tag!r} in image reference {text!r}",
            hint="a tag is 1-128 characters: letters, digits, '_', '.' and '-', not starting with '.' or '-'",
        )
