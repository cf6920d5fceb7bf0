"""Computed image tags: a version, the git state and a policy in; ordered tags (with the reason for each) out.

Everything here is a pure function: no git, no files, no clock, no network. Reading the version from git or
from ``pyproject.toml`` / ``package.json`` lives in :mod:`dockgen._version_source`; parsing and ordering versions in :mod:`dockgen.versions`.

The key rule, and the difference from tools that tag blindly: the short forms (``1.2``, ``1``) and ``latest``
are *moving* tags, and they only move forward. Given the tags that already exist in the repository,

* ``1.2`` moves to 1.2.5 only if no 1.2.x higher than 1.2.5 exists,
* ``1`` moves only if this is the highest 1.x.y,
* ``latest`` moves only if this is the highest stable version overall,

so patching an old line (releasing 1.1.9 after 2.0.0) never drags ``latest`` backwards. A pre-release
(``1.2.0-rc.1``, ``1.2.0rc1``, ``1.2.0.dev3``) gets only its full version.

Every decision, given or withheld, carries a one-line reason: :func:`explain_tags` returns them all,
:func:`compute_tags` returns just the tags.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dockgen.errors import DockgenError
from dockgen.reference import MAX_TAG_LENGTH, validate_tag
from dockgen.versions import Version, parse_version, try_parse_version

__all__ = [
    "TEMPLATE_FIELDS",
    "GitState",
    "TagDecision",
    "TagPolicy",
    "compute_tags",
    "explain_tags",
    "sanitize_branch",
    "validate_env",
]


TEMPLATE_FIELDS: Mapping[str, str] = {
    "version": "the full version tag (leading v and build metadata handled as for the semver tag)",
    "major": "the major version number",
    "minor": "the minor version number",
    "patch": "the patch version number",
    "sha": "the short commit sha (sha_length characters, no prefix)",
    "branch": "the sanitized branch name",
    "timestamp": "the UTC timestamp in timestamp_format",
    "build_number": "the CI build number",
    "env": "the environment (a template using {env} gets no automatic env suffix)",
}


_AFFIX_RE = re.compile(r"[A-Za-z0-9._-]*")
_SAMPLE_TIME = datetime(2024, 12, 31, 23, 59, 58, tzinfo=UTC)


def template_fields(template: str) -> list[str]:
    """The placeholder names in ``template``; raises :class:`DockgenError` for unknown or malformed ones."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise DockgenError(
            f"tag template {template!r} is malformed: {exc}",
            hint="placeholders look like {version}; write a literal brace as {{ or }}",
        ) from None
    names: list[str] = []
    known = ", ".join("{" + f + "}" for f in TEMPLATE_FIELDS)
    for _literal, field_name, spec, conversion in parsed:
        if field_name is None:
            continue
        if field_name not in TEMPLATE_FIELDS:
            what = "an empty placeholder {}" if not field_name else f"unknown placeholder {{{field_name}}}"
            raise DockgenError(f"tag template {template!r} uses {what}", hint=f"known placeholders: {known}")
        if spec or conversion:
            raise DockgenError(
                f"tag template {template!r}: placeholder {{{field_name}}} has a format spec or conversion",
                hint="write plain placeholders such as {" + field_name + "}",
            )
        names.append(field_name)
    return names


class TagPolicy(BaseModel):
    """Which tags an image gets. Frozen; unknown fields are rejected.

    The defaults give ``<full version>``, ``<major>.<minor>``, ``<major>`` (not for major 0), ``latest``
    (stable releases only, and only forward) and ``sha-<7 hex>``; with an env, each with ``-<env>``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    semver: bool = True
    """The full version (``1.2.3``, ``1.2.3-rc.1``, ``1.2.3rc1``)."""
    major_minor: bool = True
    """``1.2`` for stable releases, moved only forward."""
    major: bool = True
    """``1`` for stable releases, moved only forward."""
    latest: bool = True
    """``latest`` for the highest stable release."""
    major_zero: bool = False
    """Also give ``0`` for 0.x releases (off: 0.x makes no compatibility promise; ``0.3`` is still given)."""
    keep_v: bool = False
    """Keep the leading ``v`` of a ``v1.2.3`` version in the version tags (``v1.2.3``, ``v1.2``, ``v1``)."""
    build_metadata: Literal["underscore", "dash", "drop"] = "underscore"
    """What to do with ``+build`` metadata, which a tag cannot carry: ``1.2.3+abc`` -> ``1.2.3_abc``
    (``underscore``, read back as ``+`` so later runs still see a stable release), ``1.2.3-abc`` (``dash``:
    reads back as a pre-release, so a later lower release may move ``latest``/short tags over it) or
    ``1.2.3`` (``drop``: builds of one version share the tag)."""
    sha: bool = True
    """``sha-abc1234``: the short commit sha (``-dirty`` appended for an uncommitted tree)."""
    sha_length: int = Field(default=7, ge=4, le=40)
    sha_prefix: str = "sha-"
    branch: bool = False
    """The sanitized branch name (lowercase, invalid characters to ``-``, trimmed to fit 128 characters)."""
    timestamp: bool = False
    timestamp_format: str = "%Y%m%d%H%M%S"
    timestamp_source: Literal["now", "commit"] = "now"
    """``now``: the (injected) current UTC time; ``commit``: the commit time (reproducible rebuilds)."""
    build_number: bool = False
    build_number_prefix: str = "build-"
    env_suffix: bool = True
    """When an env is set, append ``-<env>`` to every tag (``2.1.0-prod``, ``latest-prod``)."""
    templates: tuple[str, ...] = ()
    """Extra tags from templates such as ``"{version}-{sha}"``; see :data:`TEMPLATE_FIELDS`."""

    @field_validator("sha_prefix", "build_number_prefix")
    @classmethod
    def _affix_chars(cls, value: str) -> str:
        if not _AFFIX_RE.fullmatch(value):
            raise ValueError(f"{value!r} may only contain letters, digits, '_', '.' and '-'")
        return value

    @field_validator("timestamp_format")
    @classmethod
    def _timestamp_chars(cls, value: str) -> str:
        sample = _SAMPLE_TIME.strftime(value)
        if not sample or not _AFFIX_RE.fullmatch(sample):
            raise ValueError(
                f"{value!r} formats to {sample!r}, which is not valid in a tag "
                "(only letters, digits, '_', '.' and '-'; e.g. '%Y%m%d%H%M%S' or '%Y-%m-%dT%H%M')"
            )
        return value

    @field_validator("templates")
    @classmethod
    def _known_placeholders(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for template in value:
            try:
                template_fields(template)
            except DockgenError as exc:
                raise ValueError(str(exc)) from None
        return value


@dataclass(frozen=True)
class GitState:
    """What the I/O layer found in git. Every field may be unknown (not a repository, detached HEAD...)."""

    sha: str | None = None
    branch: str | None = None
    tag: str | None = None
    dirty: bool = False
    commit_time: int | None = None


TagKind = Literal[
    "semver", "major_minor", "major", "latest", "sha", "branch", "timestamp", "build_number", "template",
    "pr", "edge", "schedule", "match",  # CI tags: dockgen.ci_tags
]  # fmt: skip


@dataclass(frozen=True)
class TagDecision:
    """One tag considered: ``tag`` is ``None`` when it could not even be formed (no sha, no branch...)."""

    kind: TagKind
    tag: str | None
    given: bool
    reason: str


def sanitize_branch(branch: str, max_length: int = MAX_TAG_LENGTH) -> str:
    """A branch name as a tag: lowercase, every run of characters outside ``[a-z0-9._-]`` (and ``/``) to one
    ``-``, no leading ``.``/``-``, trimmed to ``max_length`` without a trailing ``.``/``-``. May return ""."""
    text = re.sub(r"[^a-z0-9._-]+", "-", branch.lower())
    text = re.sub(r"-{2,}", "-", text).lstrip(".-")
    return text[:max_length].rstrip(".-")


def _map_metadata(text: str, mode: str) -> str:
    head, plus, meta = text.partition("+")
    if not plus:
        return text
    if mode == "drop":
        return head
    return f"{head}{'-' if mode == 'dash' else '_'}{meta}"


def _parse_existing(existing: Iterable[str], env_suffix: str) -> list[tuple[str, Version]]:
    """Stable versions among ``existing`` tags with the given suffix (``""`` for none).

    A tag counts only if it parses as a stable version with at least two numeric components, so build
    numbers (``42``), timestamps and major tags (``2``) never look like huge versions; ``1.2`` counts as 1.2.0,
    a safe lower bound for its line.
    """
    found: list[tuple[str, Version]] = []
    for tag in existing:
        body = tag
        if env_suffix:
            if not tag.endswith(env_suffix):
                continue
            body = tag[: -len(env_suffix)]
        try:
            version = _parse_tag_version(body)
        except DockgenError:
            continue
        if version is not None and version.stable and len(version.release) >= 2:
            found.append((tag, version))
    return found


def _parse_tag_version(tag: str) -> Version | None:
    """A version read back from a tag: ``_`` is how build metadata is written (``1.2.3_abc`` is 1.2.3+abc)."""
    if "_" in tag:
        head, _, meta = tag.partition("_")
        version = try_parse_version(f"{head}+{meta}")
        if version is not None:
            return version
    return try_parse_version(tag)


def _highest(versions: Iterable[tuple[str, Version]]) -> tuple[str, Version] | None:
    best: tuple[str, Version] | None = None
    for item in versions:
        if best is None or item[1].stable_key() > best[1].stable_key():
            best = item
    return best


def validate_env(env: str) -> str:
    """Validate an environment name used as a tag suffix (``prod``, ``eu-west.1``); returns it unchanged."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", env) or len(env) > 64:
        raise DockgenError(
            f"env {env!r} cannot be a tag suffix: it must start with a letter or digit, contain only letters, "
            "digits, '_', '.' and '-', and be at most 64 characters",
            hint="use a short name such as 'prod', 'staging' or 'dev'",
        )
    return env


def explain_tags(
    version: str | None,
    *,
    env: str | None = None,
    existing: Iterable[str] = (),
    git: GitState | None = None,
    policy: TagPolicy | None = None,
    now: datetime | None = None,
    build_number: str | None = None,
) -> list[TagDecision]:
    """Every tag considered for an image, in output order, given or withheld, with the reason.

    Raises :class:`DockgenError` for an unparseable version, an invalid env, a template with an unknown
    placeholder or a tag that would be invalid.
    """
    policy = policy or TagPolicy()
    if env is not None and env != "":
        validate_env(env)
    else:
        env = None
    suffix = f"-{env}" if env and policy.env_suffix else ""
    parsed = parse_version(version) if version else None
    decisions: list[TagDecision] = []

    def add(kind: TagKind, tag: str | None, given: bool, reason: str, *, suffixed: bool = True) -> None:
        if tag is not None and suffixed:
            tag += suffix
        if tag is not None and given:
            validate_tag(tag)
        decisions.append(TagDecision(kind, tag, given, reason))

    vprefix = parsed.v_prefix if parsed and policy.keep_v else ""
    version_tag = vprefix + _map_metadata(parsed.text, policy.build_metadata) if parsed else None

    # -- version tags -------------------------------------------------------------------------------------
    if parsed is None:
        if policy.semver or policy.major_minor or policy.major or policy.latest:
            add("semver", None, False, "no version: no version tags (pass a version or tag the commit)")
    else:
        assert version_tag is not None
        _version_tags(parsed, version_tag, vprefix, existing, suffix, policy, add)

    # -- commit tags --------------------------------------------------------------------------------------
    if policy.sha:
        if git is None or not git.sha:
            add("sha", None, False, "sha withheld: no git commit")
        else:
            short = git.sha[: policy.sha_length]
            tag = f"{policy.sha_prefix}{short}" + ("-dirty" if git.dirty else "")
            why = f"commit {short}" + (" with uncommitted changes" if git.dirty else "")
            add("sha", tag, True, why)
    if policy.branch:
        if git is None or not git.branch:
            add("branch", None, False, "branch withheld: no branch (detached HEAD or not a git repository)")
        else:
            clean = sanitize_branch(git.branch, MAX_TAG_LENGTH - len(suffix))
            if clean:
                add("branch", clean, True, f"branch {git.branch!r}")
            else:
                add("branch", None, False, f"branch withheld: {git.branch!r} has no usable characters")
    stamp: str | None = None
    if policy.timestamp or any("timestamp" in template_fields(t) for t in policy.templates):
        stamp = _timestamp(policy, git, now)
    if policy.timestamp:
        if stamp is None:
            add("timestamp", None, False, "timestamp withheld: no commit time (timestamp_source='commit')")
        else:
            add("timestamp", stamp, True, f"UTC {policy.timestamp_source} time")
    if policy.build_number:
        if not build_number:
            add("build_number", None, False, "build number withheld: no CI build number")
        else:
            add("build_number", f"{policy.build_number_prefix}{build_number}", True, "CI build number")

    # -- templates ----------------------------------------------------------------------------------------
    values: dict[str, str | None] = {
        "version": version_tag,
        "major": str(parsed.major) if parsed else None,
        "minor": str(parsed.minor) if parsed else None,
        "patch": str(parsed.patch) if parsed else None,
        "sha": git.sha[: policy.sha_length] if git and git.sha else None,
        "branch": sanitize_branch(git.branch) or None if git and git.branch else None,
        "timestamp": stamp,
        "build_number": build_number or None,
        "env": env,
    }
    for template in policy.templates:
        names = template_fields(template)
        missing = [n for n in names if values[n] is None]
        if missing:
            add("template", None, False, f"template {template!r} withheld: no {', '.join(missing)}")
            continue
        fill = {n: values[n] or "" for n in names}
        tag = template.format(**fill)
        room = MAX_TAG_LENGTH - len(tag) - (0 if "env" in names else len(suffix))
        if room < 0 and "branch" in names:  # trim the branch (only) to make the tag fit
            short_branch = sanitize_branch(
                fill["branch"], max(1, len(fill["branch"]) + room // names.count("branch"))
            )
            tag = template.format(**{**fill, "branch": short_branch})
        try:
            validate_tag(tag + ("" if "env" in names else suffix))
        except DockgenError as exc:
            raise DockgenError(
                f"tag template {template!r} produced an invalid tag: {exc.message}", hint=exc.hint
            ) from None
        add("template", tag, True, f"template {template!r}", suffixed="env" not in names)

    return _dedupe(decisions)


def _version_tags(
    parsed: Version,
    version_tag: str,
    vprefix: str,
    existing: Iterable[str],
    suffix: str,
    policy: TagPolicy,
    add: _Adder,
) -> None:
    shown = parsed.v_prefix + parsed.text
    if policy.semver:
        why = f"full version {shown}"
        if parsed.build and policy.build_metadata != "drop":
            why += (
                f" ('+' is not allowed in a tag: build metadata '+{parsed.build}' written as {version_tag!r})"
            )
        elif parsed.build:
            why += f" (build metadata '+{parsed.build}' dropped: '+' is not allowed in a tag)"
        add("semver", version_tag, True, why)
    if not parsed.stable:
        short: list[tuple[TagKind, str]] = []
        if policy.major_minor and len(parsed.release) >= 2:
            short.append(("major_minor", f"{vprefix}{parsed.major}.{parsed.minor}"))
        if policy.major:
            short.append(("major", f"{vprefix}{parsed.major}"))
        if policy.latest:
            short.append(("latest", "latest"))
        for kind, tag in short:
            add(
                kind, tag, False, f"{tag + suffix} withheld: {shown} is a pre-release (only its full version)"
            )
        return
    stable = _parse_existing(existing, suffix)
    key = parsed.stable_key()
    env_note = f" with suffix {suffix!r}" if suffix else ""

    def moving(kind: TagKind, tag: str, line: tuple[int, ...], line_name: str) -> None:
        members = [item for item in stable if not line or item[1].in_line(line)]
        top = _highest(members)
        if top is not None and top[1].stable_key() > key:
            add(kind, tag, False, f"{tag + suffix} withheld: {top[0]} exists (higher {line_name})")
        elif top is None:
            add(kind, tag, True, f"no existing {line_name}{env_note}: {shown} is the first")
        else:
            add(kind, tag, True, f"{shown} is the highest {line_name} (highest existing: {top[0]})")

    if policy.major_minor:
        if len(parsed.release) < 2:
            add("major_minor", None, False, f"{shown} has no minor component: no major.minor tag")
        else:
            mm = f"{parsed.major}.{parsed.minor}"
            moving("major_minor", f"{vprefix}{mm}", (parsed.major, parsed.minor), f"{mm}.x")
    if policy.major:
        if parsed.major == 0 and not policy.major_zero:
            add(
                "major",
                f"{vprefix}0",
                False,
                "0 withheld: 0.x makes no compatibility promise (major_zero off)",
            )
        else:
            moving("major", f"{vprefix}{parsed.major}", (parsed.major,), f"{parsed.major}.x")
    if policy.latest:
        moving("latest", "latest", (), "stable version")


class _Adder(Protocol):  # the shape of explain_tags' local ``add``
    def __call__(
        self, kind: TagKind, tag: str | None, given: bool, reason: str, *, suffixed: bool = True
    ) -> None: ...


def _timestamp(policy: TagPolicy, git: GitState | None, now: datetime | None) -> str | None:
    if policy.timestamp_source == "commit":
        if git is None or git.commit_time is None:
            return None
        moment = datetime.fromtimestamp(git.commit_time, UTC)
    else:
        if now is None:
            raise DockgenError(
                "a timestamp tag needs the current time",
                hint="pass now=datetime.now(UTC) (the CLI does this for you)",
            )
        moment = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    return moment.strftime(policy.timestamp_format)


def _dedupe(decisions: list[TagDecision]) -> list[TagDecision]:
    seen: dict[str, TagKind] = {}
    out: list[TagDecision] = []
    for d in decisions:
        if d.given and d.tag is not None:
            if d.tag in seen:
                out.append(TagDecision(d.kind, d.tag, False, f"{d.tag} already given ({seen[d.tag]})"))
                continue
            seen[d.tag] = d.kind
        out.append(d)
    return out


def compute_tags(
    version: str | None,
    *,
    env: str | None = None,
    existing: Iterable[str] = (),
    git: GitState | None = None,
    policy: TagPolicy | None = None,
    now: datetime | None = None,
    build_number: str | None = None,
) -> list[str]:
    """The tags to push, in order (version tags, sha, branch, timestamp, build number, templates), deduped.

    See :func:`explain_tags` for the reasons, including the tags withheld.
    """
    decisions = explain_tags(
        version, env=env, existing=existing, git=git, policy=policy, now=now, build_number=build_number
    )
    return [d.tag for d in decisions if d.given and d.tag is not None]
