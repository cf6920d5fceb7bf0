"""The retention policy: a frozen pydantic model, and how tags are classified against it.

Declared in Python::

    from dockgen.lifecycle import RetentionPolicy

    policy = RetentionPolicy(keep_last_releases=5, max_age_days=90, envs=("prod", "staging"))

or in configuration, with the same field names (``-`` and ``_`` both accepted)::

    # pyproject.toml                      # dockgen.toml
    [tool.dockgen.retention]              [retention]
    keep-last-releases = 5                keep-last-releases = 5
    max-age-days = 90                     max-age-days = 90

Classification (see docs/lifecycle.md for the full table): a tag is first split into ``<body>-<env>`` when it ends
with one of the policy's ``envs`` or an env the tags themselves name (:func:`envs_in_tags`: the moving tags
``latest-X``, ``N-X`` and ``N.N-X`` dockgen computes for env ``X``); the body is then

* ``artifact``   -- ``sha256-<64 hex>`` (OCI referrers tag schema) optionally with ``.sig``/``.att``/``.sbom``
  (cosign): never judged by the policy, it lives and dies with the digest it is attached to;
* ``release``    -- a stable SemVer / PEP 440 version with at least three numbers (``1.2.3``, ``v1.2.3``,
  ``1.2.3.post1``, ``1.2.3_build5``);
* ``alias``      -- ``latest`` and the moving version tags ``1.2`` / ``v1.2`` / ``v1``: they follow the release they
  point at (kept exactly while a kept tag shares their digest);
* ``prerelease`` -- a version with a pre-release or dev part (``1.2.3-rc.1``, ``1.2.3rc1``, ``1.3.0.dev4``);
* ``sha``        -- ``<sha_prefix><4-40 hex>`` (``sha-abc1234``, ``sha-abc1234-dirty``);
* ``content``    -- ``content-<32 hex>``: dockgen's content tag (the staging name of a publish); it goes with
  the image when the image's other tags go, and an image tagged only so is a publish in progress or a
  failed one: kept while fresh (see :func:`dockgen.lifecycle.retention.decide`);
* ``other``      -- digits only (build numbers, timestamps, and a bare major tag ``1``) and ``build-<n>``;
* ``branch``     -- everything else (``main``, ``feature-login``, ``pr-42``, ``test``).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dockgen.config_file import dockgen_table, find_with_section
from dockgen.errors import ConfigError
from dockgen.tags import validate_env
from dockgen.versions import Version, try_parse_version

__all__ = [
    "TAG_KINDS",
    "RetentionPolicy",
    "TagClass",
    "TagKind",
    "classify_tag",
    "envs_in_tags",
    "find_policy_config",
    "load_policy",
    "matches_pattern",
    "policy_from_table",
]

TagKind = Literal["release", "alias", "prerelease", "sha", "branch", "other", "artifact", "content"]
TAG_KINDS: tuple[TagKind, ...] = (
    "release",
    "alias",
    "prerelease",
    "sha",
    "branch",
    "other",
    "artifact",
    "content",
)

CONTENT_TAG_RE = re.compile(r"content-[0-9a-f]{32}")
"""dockgen's own content tags (``content-<32 hex>``): the staging name of a publish, see docs/build.md."""
_ENV_MARKER_RE = re.compile(
    r"(?:latest|(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?)-([A-Za-z0-9][A-Za-z0-9._-]*)"
)
_PRERELEASE_WORD_RE = re.compile(r"(?:a|alpha|b|beta|c|rc|pre|preview|dev|post|snapshot)[.]?[0-9]*", re.I)

_ARTIFACT_RE = re.compile(r"sha256-[0-9a-f]{64}(?:\.(?:sig|att|sbom))?")
_DIGITS_RE = re.compile(r"[0-9]+")
_ALIAS_RE = re.compile(r"v(?:0|[1-9][0-9]*)|v?(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)")


class RetentionPolicy(BaseModel):
    """What ``dockgen prune`` keeps. Frozen; unknown fields are rejected.

    Keep rules win over delete rules, and nothing is ever deleted that a kept tag still needs (digest-safe).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    keep_last_releases: int = Field(default=5, ge=0)
    """Keep the N highest stable releases (by version order), per env group; older releases are deleted."""
    max_age_days: int | None = Field(default=90, ge=0)
    """Delete pre-release, sha, branch and other tags pushed more than D days ago; None: never by age."""
    keep_patterns: tuple[str, ...] = ()
    """Always keep tags matching one of these: globs (``release-*``) or regexes written ``re:^v\\d+$``."""
    always_keep: tuple[str, ...] = ("latest",)
    """Tags kept whatever else applies (exact names; with envs, ``latest-prod`` must be listed itself)."""
    envs: tuple[str, ...] = ()
    """Environment suffixes: ``2.1.0-prod`` is release 2.1.0 of env ``prod``; each env keeps its own N."""
    sha_prefix: str = "sha-"
    """Prefix of commit-sha tags (``TagPolicy.sha_prefix``)."""
    build_number_prefix: str = "build-"
    """Prefix of build-number tags (``TagPolicy.build_number_prefix``)."""

    @field_validator("keep_patterns")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            if pattern.startswith("re:"):
                try:
                    re.compile(pattern[3:])
                except re.error as exc:
                    raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
            elif not pattern:
                raise ValueError("an empty pattern matches nothing; remove it")
        return value

    @field_validator("envs")
    @classmethod
    def _envs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for env in value:
            try:
                validate_env(env)
            except Exception as exc:  # DockgenError -> pydantic error with the same text
                raise ValueError(str(exc).split("\n", 1)[0]) from None
        return tuple(dict.fromkeys(value))

    def with_envs(self, envs: tuple[str, ...]) -> RetentionPolicy:
        """The same policy with more env suffixes (e.g. the envs of the declared images)."""
        return self.model_copy(update={"envs": tuple(dict.fromkeys((*self.envs, *envs)))})

    def is_pinned(self, tag: str) -> str | None:
        """Why ``tag`` is always kept (``always_keep`` / ``keep_patterns``), or None."""
        if tag in self.always_keep:
            return "in always_keep"
        for pattern in self.keep_patterns:
            if matches_pattern(pattern, tag):
                return f"matches keep pattern {pattern!r}"
        return None


def matches_pattern(pattern: str, tag: str) -> bool:
    """Glob (``fnmatch``, case-sensitive) or, with a ``re:`` prefix, a full-match regular expression."""
    if pattern.startswith("re:"):
        return re.fullmatch(pattern[3:], tag) is not None
    return fnmatch.fnmatchcase(tag, pattern)


@dataclass(frozen=True)
class TagClass:
    """How a tag is read: its kind, env group (``""`` for none) and, for versions, the parsed version."""

    kind: TagKind
    env: str = ""
    version: Version | None = None


def _version(body: str) -> Version | None:
    try:
        if "_" in body:  # 1.2.3_build5 is how dockgen writes 1.2.3+build5
            head, _, meta = body.partition("_")
            found = try_parse_version(f"{head}+{meta}")
            if found is not None:
                return found
        return try_parse_version(body)
    except Exception:  # a PEP 440 epoch: not a version we can order, treat as a plain name
        return None


def classify_tag(tag: str, policy: RetentionPolicy) -> TagClass:
    """Classify one tag (pure; see the module docstring for the rules)."""
    if _ARTIFACT_RE.fullmatch(tag):
        return TagClass("artifact")
    if CONTENT_TAG_RE.fullmatch(tag):
        return TagClass("content")
    env = ""
    body = tag
    for candidate in sorted(policy.envs, key=len, reverse=True):
        if tag.endswith("-" + candidate) and len(tag) > len(candidate) + 1:
            env, body = candidate, tag[: -len(candidate) - 1]
            break
    if body == "latest" or _ALIAS_RE.fullmatch(body):
        return TagClass("alias", env, _version(body) if body != "latest" else None)
    version = _version(body)
    if version is not None and not _DIGITS_RE.fullmatch(body):
        if not version.stable:
            return TagClass("prerelease", env, version)
        if len(version.release) >= 3:
            return TagClass("release", env, version)
    prefix = policy.sha_prefix
    if prefix and body.startswith(prefix):
        rest = body[len(prefix) :].removesuffix("-dirty")
        if re.fullmatch(r"[0-9a-f]{4,40}", rest):
            return TagClass("sha", env)
    if _DIGITS_RE.fullmatch(body):
        return TagClass("other", env)
    prefix = policy.build_number_prefix
    if prefix and body.startswith(prefix) and _DIGITS_RE.fullmatch(body[len(prefix) :]):
        return TagClass("other", env)
    return TagClass("branch", env)


def envs_in_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Env groups named by the tags themselves: ``latest-X``, ``N-X`` and ``N.N-X`` are the moving tags
    dockgen computes for env ``X`` (``X`` a valid env suffix that does not read as a pre-release word such
    as ``rc1``). Sorted, for determinism."""
    found: set[str] = set()
    for tag in tags:
        m = _ENV_MARKER_RE.fullmatch(tag)
        if m is None:
            continue
        env = m.group(1)
        if _PRERELEASE_WORD_RE.fullmatch(env) or env.isdigit():
            continue
        try:
            validate_env(env)
        except Exception:
            continue
        found.add(env)
    return tuple(sorted(found))


# --------------------------------------------------------------------------------------------- configuration


def _line_of(text: str, key: str) -> int | None:
    variants = {key, key.replace("_", "-")}
    for i, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if any(stripped.startswith(v) and stripped[len(v) :].lstrip().startswith("=") for v in variants):
            return i
    return None


def policy_from_table(table: Mapping[str, Any], *, file: str = "<config>", text: str = "") -> RetentionPolicy:
    """Validate a ``[retention]`` table into a policy; errors name the file, line and key."""
    data: dict[str, Any] = {}
    for key, value in table.items():
        data[str(key).replace("-", "_")] = tuple(value) if isinstance(value, list) else value
    try:
        return RetentionPolicy.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else ""
        what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        fields = ", ".join(k.replace("_", "-") for k in RetentionPolicy.model_fields)
        raise ConfigError(
            f"[retention] {key.replace('_', '-')}: {what}",
            file=file,
            line=_line_of(text, key) if text else None,
            hint=f"retention keys are: {fields}",
        ) from None


def find_policy_config(start: Path) -> Path | None:
    """The nearest ``dockgen.toml`` / ``.dockgen.toml`` with ``[retention]`` or ``pyproject.toml`` with
    ``[tool.dockgen.retention]``, walking up from ``start`` and stopping at a ``.git`` root."""
    return find_with_section(start, "retention")


def load_policy(path: Path) -> RetentionPolicy:
    """Read the retention policy from one config file (defaults when the file has no retention table)."""
    settings, text = dockgen_table(path)
    table = settings.get("retention") if settings is not None else None
    if table is None:
        return RetentionPolicy()
    if not isinstance(table, dict):
        raise ConfigError("retention must be a table", file=str(path), line=_line_of(text, "retention"))
    return policy_from_table(table, file=str(path), text=text)
