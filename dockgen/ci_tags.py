"""CI-aware tags (what docker/metadata-action users expect), on top of the computed tags of :mod:`dockgen.tags`.

Given the kind of build (:class:`dockgen.ci_env.CIEnv`) and a :class:`CITagPolicy`:

* a **pull/merge request** gets ``pr-<n>`` and **never a release tag**: the version tags (``1.2.3``, ``1.2``,
  ``1``, ``latest``) and the git-tag match are withheld, whatever version the declaration or a tag gives;
* a build of the **default branch** gets ``edge`` (or the name you choose);
* a **scheduled** run gets ``nightly`` and/or ``nightly-20250101`` (strftime templates);
* a **git tag** build gets the tag matched by a regular expression (``v1.2.3-beta`` -> ``1.2.3-beta`` with
  the default pattern, or any group you choose).

The version tags keep their own rule: ``latest`` and the short tags only move forward.
Pure functions: the environment is read by :mod:`dockgen.ci_env`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, field_validator

from dockgen.ci_env import CIEnv
from dockgen.errors import DockgenError
from dockgen.reference import MAX_TAG_LENGTH, validate_tag
from dockgen.tags import TagDecision, TagKind, sanitize_branch

__all__ = ["RELEASE_KINDS", "CITagPolicy", "apply_ci"]

RELEASE_KINDS = frozenset({"semver", "major_minor", "major", "latest", "match"})
"""Tags a pull request build never gets."""


class CITagPolicy(BaseModel):
    """Which CI tags are given. Frozen; unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pr: bool = True
    """``pr-<n>`` for pull requests / merge requests."""
    pr_prefix: str = "pr-"
    edge: str | None = "edge"
    """Tag for builds of the default branch (None: none)."""
    schedule: tuple[str, ...] = ("nightly", "nightly-%Y%m%d")
    """strftime templates for scheduled runs (UTC)."""
    tag_pattern: str = r"^v?(\d+\.\d+\.\d+.*)$"
    """Regular expression applied to the git tag of a tag build; the chosen group becomes a tag."""
    tag_group: int | str = 1
    """Group number or name of ``tag_pattern`` that becomes the tag (0: the whole match)."""

    @field_validator("tag_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"tag_pattern {value!r} is not a valid regular expression: {exc}") from None
        return value

    @field_validator("edge", "pr_prefix")
    @classmethod
    def _tag_chars(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", value):
            raise ValueError(f"{value!r} may only contain letters, digits, '_', '.' and '-'")
        return value


def _matched(tag: str, policy: CITagPolicy) -> tuple[str | None, str]:
    found = re.search(policy.tag_pattern, tag)
    if found is None:
        return None, f"git tag {tag!r} does not match {policy.tag_pattern!r}"
    try:
        value = found.group(policy.tag_group)
    except IndexError as exc:
        raise DockgenError(
            f"tag pattern {policy.tag_pattern!r} has no group {policy.tag_group!r}: {exc}",
            hint="choose a group the pattern has (0 is the whole match)",
        ) from None
    if not value:
        return None, f"group {policy.tag_group!r} of {policy.tag_pattern!r} is empty for {tag!r}"
    return value.replace(
        "+", "_"
    ), f"git tag {tag!r} matched {policy.tag_pattern!r} (group {policy.tag_group!r})"


def apply_ci(
    decisions: list[TagDecision],
    ci: CIEnv,
    policy: CITagPolicy | None = None,
    *,
    now: datetime | None = None,
    env_suffix: str = "",
) -> list[TagDecision]:
    """``decisions`` (from :func:`dockgen.tags.explain_tags`) adjusted for the kind of CI build."""
    policy = policy or CITagPolicy()
    out: list[TagDecision] = []
    pr = ci.event == "pull_request"
    for d in decisions:
        if pr and d.given and d.kind in RELEASE_KINDS:
            out.append(
                TagDecision(
                    d.kind, d.tag, False, f"{d.tag} withheld: a pull request build never gets a release tag"
                )
            )
        else:
            out.append(d)

    def add(kind: TagKind, tag: str | None, given: bool, reason: str) -> None:
        if tag is not None:
            tag += env_suffix
            if given:
                validate_tag(tag[:MAX_TAG_LENGTH])
        out.append(TagDecision(kind, tag, given, reason))

    if pr and policy.pr:
        if ci.pr_number is None:
            add("pr", None, False, "pr tag withheld: the pull request number is unknown")
        else:
            add("pr", f"{policy.pr_prefix}{ci.pr_number}", True, f"pull request #{ci.pr_number}")
    if policy.edge and ci.on_default_branch:
        add("edge", policy.edge, True, f"build of the default branch {ci.default_branch}")
    elif policy.edge and ci.event in ("push", "schedule", "manual") and ci.branch and not ci.default_branch:
        add("edge", None, False, "edge withheld: the default branch is unknown (set DOCKGEN_DEFAULT_BRANCH)")
    if ci.event == "schedule":
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        for template in policy.schedule:
            tag = sanitize_branch(moment.strftime(template))
            add("schedule", tag, True, f"scheduled run ({template!r})")
    if ci.event == "tag" and ci.tag:
        value, why = _matched(ci.tag, policy)
        add("match", value, value is not None, why)
    seen: set[str] = set()
    result: list[TagDecision] = []
    for d in out:
        if d.given and d.tag is not None:
            if d.tag in seen:
                result.append(TagDecision(d.kind, d.tag, False, f"{d.tag} already given"))
                continue
            seen.add(d.tag)
        result.append(d)
    return result
