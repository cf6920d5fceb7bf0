"""Image references, in one place: ``[registry[:port]/]name[:tag][@algo:hex]``.

One grammar, the distribution project's reference grammar (ASCII only), for every part of dockgen: the
registry client, tag computation, build specs, the parsed FROM line and the configuration. A tag is
``[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}``; a repository is ``/``-separated lowercase components joined by ``.``,
``_``, ``__`` or runs of ``-``; a registry is a host name (or ``[ipv6]``) with an optional port.

* :func:`parse_reference` -- full parsing with Docker Hub normalisation (``nginx`` -> ``docker.io/library/nginx``);
* :func:`validate_tag`, :func:`validate_repository`, :func:`validate_registry`, :func:`image_reference` --
  the parts dockgen composes, with messages that say which rule a part breaks;
* :func:`split_image`, :func:`split_reference`, :func:`split_repository` -- textual splits that do not
  validate (a FROM line may hold ``${BASE}``).
"""

from __future__ import annotations

import re

from dockgen._record import record
from dockgen.errors import DockgenError, InvalidReferenceError

__all__ = [
    "DOCKER_HUB",
    "DOCKER_HUB_API",
    "DOCKER_HUB_AUTH_KEY",
    "MAX_NAME_LENGTH",
    "MAX_TAG_LENGTH",
    "Reference",
    "api_host",
    "check_digest",
    "check_sbom_generator",
    "image_reference",
    "is_digest",
    "normalize_registry",
    "parse_reference",
    "registry_looks_like_namespace",
    "repository_name",
    "split_image",
    "split_reference",
    "split_repository",
    "validate_registry",
    "validate_repository",
    "validate_tag",
]

DOCKER_HUB = "docker.io"
"""The canonical name of Docker Hub in references."""
DOCKER_HUB_API = "registry-1.docker.io"
"""The host that actually serves Docker Hub's distribution API."""
DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/"
"""The key Docker uses for Docker Hub in ``config.json`` and with credential helpers."""

_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})

MAX_TAG_LENGTH = 128
MAX_NAME_LENGTH = 255

# The grammar (https://github.com/distribution/reference, reference.go). Tags are ASCII: ``\w`` there is
# ``[a-zA-Z0-9_]``, so ``café`` is not a tag anywhere in dockgen.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_NAME_RE = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_PATH_COMPONENT_RE = re.compile(_COMPONENT)
_HOST_LABEL_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
_IPV6_RE = re.compile(r"\[[0-9A-Fa-f:.]+\]")
_PORT_RE = re.compile(r"[0-9]{1,5}")
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


@record(frozen=True)
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
    if not _TAG_RE.fullmatch(tag):
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
    if not _TAG_RE.fullmatch(tag):
        raise InvalidReferenceError(
            f"invalid tag {tag!r} in image reference {text!r}",
            hint="a tag is 1-128 characters: letters, digits, '_', '.' and '-', not starting with '.' or '-'",
        )


# ---- the parts dockgen composes (names, tags), with messages that name the broken rule -------------------


def validate_tag(tag: str) -> str:
    """Return ``tag`` if it is a valid OCI tag, else raise :class:`DockgenError` saying which rule it breaks."""
    if not isinstance(tag, str) or not tag:
        raise DockgenError("empty image tag", hint="a tag needs at least one character")
    if len(tag) > MAX_TAG_LENGTH:
        raise DockgenError(
            f"image tag {tag[:40]!r}... is {len(tag)} characters long; a tag may have at most {MAX_TAG_LENGTH}",
            hint="shorten the version, template or env suffix that produced it",
        )
    if _TAG_RE.fullmatch(tag):
        return tag
    if tag[0] in ".-":
        raise DockgenError(
            f"image tag {tag!r} starts with {tag[0]!r}; a tag must start with a letter, digit or '_'",
            hint=f"use {tag.lstrip('.-') or 'a different tag'!r}",
        )
    bad = sorted({c for c in tag if not (c.isascii() and (c.isalnum() or c in "._-"))})
    raise DockgenError(
        f"image tag {tag!r} contains {', '.join(repr(c) for c in bad)}; "
        "a tag may only contain letters, digits, '_', '.' and '-'",
        hint="replace those characters (a '+' in a version is build metadata: see TagPolicy.build_metadata)",
    )


def validate_registry(registry: str) -> str:
    """Validate a registry host: ``host``, ``host:port``, ``[ipv6]:port``. Returns it unchanged."""
    host, _, port = registry.rpartition(":") if not registry.endswith("]") else (registry, "", "")
    if not host:  # no colon at all
        host, port = registry, ""
    ok = bool(_IPV6_RE.fullmatch(host)) or all(_HOST_LABEL_RE.fullmatch(label) for label in host.split("."))
    if port and not (_PORT_RE.fullmatch(port) and 0 < int(port) < 65536):
        ok = False
    if ":" in registry and not port and not registry.endswith("]"):
        ok = False
    if not ok:
        raise DockgenError(
            f"registry {registry!r} is not a valid registry host; expected host, host:port or [ipv6]:port "
            "(labels of letters, digits and inner '-', separated by '.')",
            hint="give only the host, e.g. 'registry.example.com' or 'localhost:5000' (no scheme, no path)",
        )
    return registry


def validate_repository(repository: str) -> str:
    """Validate a repository path (``team/app``, without the registry) against the OCI distribution spec."""
    if not repository:
        raise DockgenError("empty repository name", hint="give the image a name, e.g. 'web'")
    for component in repository.split("/"):
        if _PATH_COMPONENT_RE.fullmatch(component):
            continue
        suggestion = re.sub(r"[^a-z0-9._-]+", "-", component.lower()).strip("._-")
        suggestion = re.sub(r"-*([._])-*", r"\1", suggestion)
        what = "is empty (doubled or trailing '/')" if not component else "is not a valid path component"
        raise DockgenError(
            f"repository {repository!r}: component {component!r} {what}; each '/'-separated component must be "
            "lowercase letters and digits, separated by '.', '_', '__' or runs of '-'",
            hint=f"use {suggestion!r}" if suggestion else "use lowercase letters and digits",
        )
    return repository


def repository_name(registry: str | None, namespace: str | None, name: str) -> str:
    """``<registry>/<namespace>/<name>``, each part optional except the name, validated."""
    path = "/".join(p.strip("/") for p in (namespace, name) if p)
    validate_repository(path)
    full = f"{validate_registry(registry)}/{path}" if registry else path
    if len(full) > MAX_NAME_LENGTH:
        raise DockgenError(
            f"image name {full[:60]!r}... is {len(full)} characters long; at most {MAX_NAME_LENGTH} are allowed",
            hint="shorten the namespace or the image name",
        )
    return full


def image_reference(registry: str | None, namespace: str | None, name: str, tag: str) -> str:
    """A full reference: ``registry.example.com/frontend/web:2.1.0-prod``. Every part is validated."""
    return f"{repository_name(registry, namespace, name)}:{validate_tag(tag)}"


def registry_looks_like_namespace(registry: str) -> bool:
    """True when Docker would read ``registry`` as a Docker Hub namespace (no '.', no ':', not localhost)."""
    return "." not in registry and ":" not in registry and registry != "localhost"


# ---- textual splits (no validation) -----------------------------------------------------------------------


def split_image(text: str) -> tuple[str, str | None, str | None]:
    """``name[:tag][@digest]`` -> (name, tag, digest), as written: no validation, no Docker Hub normalisation
    (a FROM line may hold variables). The tag is what follows the first ``:`` of the last path component."""
    name, at, digest = text.partition("@")
    head, _, last = name.rpartition("/")
    last, colon, tag = last.partition(":")
    return (f"{head}/{last}" if head else last), (tag if colon else None), (digest if at else None)


def split_reference(ref: str) -> tuple[str, str]:
    """``registry/ns/name:tag`` -> (``registry/ns/name``, ``tag``); a digest ref keeps ``@sha256:...``."""
    if "@" in ref:
        repo, digest = ref.split("@", 1)
        return repo, "@" + digest
    last = ref.rsplit("/", 1)
    if ":" in last[-1]:
        repo, tag = ref.rsplit(":", 1)
        return repo, tag
    return ref, "latest"


def split_repository(repo: str) -> tuple[str, str]:
    """``registry/ns/name`` -> (registry host, path). Docker Hub short names map to ``docker.io``."""
    first, _, rest = repo.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first, rest
    path = repo if "/" in repo else f"library/{repo}"
    return DOCKER_HUB, path


def check_sbom_generator(value: object) -> str:
    """A generator image reference (``generator=`` prefix tolerated), or ValueError saying what is wrong."""
    if not isinstance(value, str):
        raise ValueError("must be an image reference string")
    ref = value.strip()
    if ref.startswith("generator="):
        ref = ref[len("generator=") :]
    if not ref or ref.lower() in ("true", "false") or any(c in ref for c in ' \t,="'):
        raise ValueError(
            f"{value!r} is not an image reference; name the generator image, e.g. "
            "'registry.example.com/mirror/buildkit-syft-scanner:stable-1'"
        )
    return ref
