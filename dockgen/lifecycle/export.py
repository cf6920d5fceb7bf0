"""The same retention policy as a Harbor tag-retention policy or an AWS ECR lifecycle policy.

Neither vendor can express dockgen's rules exactly; each export returns the JSON document and the list of
approximations it had to make (printed by ``dockgen prune --export`` on stderr):

* both count releases by **push order** (Harbor ``latestPushedK``, ECR ``imageCountMoreThan``), dockgen by
  **version order**: they differ when an old line gets a patch release after a newer line;
* tag patterns are Harbor doublestar globs / ECR ``*`` wildcards: a release is written ``*.*.*`` (which also
  matches ``1.2.3-rc.1``), regex ``keep_patterns`` cannot be exported and are left out;
* neither knows dockgen's digest-safety walk; both keep an artifact as long as one retained tag points at it,
  and both handle index children and attestations themselves.

Harbor's document is the body of ``POST /api/v2.0/retentions``; ECR's is ``aws ecr put-lifecycle-policy
--lifecycle-policy-text file://policy.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dockgen.lifecycle.policy import RetentionPolicy

__all__ = ["Export", "to_ecr", "to_harbor"]

RELEASE_GLOB = "*.*.*"
ECR_MAX_WILDCARDS = 4
ECR_KEEP_FOREVER = 10_000
"""An ECR rule can only expire; "keep" is a higher-priority rule that no image count ever exceeds."""


@dataclass
class Export:
    document: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _harbor_selector(pattern: str, decoration: str = "matches") -> dict[str, Any]:
    return {
        "kind": "doublestar",
        "decoration": decoration,
        "pattern": pattern,
        "extras": '{"untagged":false}',
    }


def _brace(patterns: Sequence[str]) -> str:
    return patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"


def to_harbor(
    policy: RetentionPolicy,
    *,
    repositories: Sequence[str] = (),
    project_id: int = 1,
    cron: str = "0 0 0 * * *",
) -> Export:
    """A Harbor retention policy (``algorithm: or``: a tag survives when any ``retain`` rule selects it)."""
    notes = ["release counts are by push time in Harbor (latestPushedK), by version order in dockgen"]
    repo_pattern = _brace([r.rsplit("/", 1)[-1] for r in repositories]) if repositories else "**"
    scope = {"repository": [{"kind": "doublestar", "decoration": "repoMatches", "pattern": repo_pattern}]}
    rules: list[dict[str, Any]] = []

    def rule(template: str, params: dict[str, Any], selector: dict[str, Any]) -> None:
        rules.append(
            {
                "disabled": False,
                "action": "retain",
                "template": template,
                "params": params,
                "tag_selectors": [selector],
                "scope_selectors": scope,
            }
        )

    globs = [p for p in policy.keep_patterns if not p.startswith("re:")]
    skipped = [p for p in policy.keep_patterns if p.startswith("re:")]
    if skipped:
        notes.append(f"regex keep_patterns cannot be exported to Harbor, left out: {', '.join(skipped)}")
    pinned = [*policy.always_keep, *globs]
    if pinned:
        rule("always", {}, _harbor_selector(_brace(pinned)))
    envs = list(policy.envs)
    if policy.keep_last_releases > 0:
        for env in envs:
            rule(
                "latestPushedK",
                {"latestPushedK": policy.keep_last_releases},
                _harbor_selector(f"{RELEASE_GLOB}-{env}"),
            )
        rule("latestPushedK", {"latestPushedK": policy.keep_last_releases}, _harbor_selector(RELEASE_GLOB))
        if envs:
            notes.append(f"the un-suffixed release rule ({RELEASE_GLOB}) also counts env-suffixed releases")
    if policy.max_age_days is None:
        rule("always", {}, _harbor_selector(RELEASE_GLOB, "excludes"))
    else:
        rule(
            "nDaysSinceLastPush",
            {"nDaysSinceLastPush": policy.max_age_days},
            _harbor_selector(RELEASE_GLOB, "excludes"),
        )
    notes.append(
        f"'{RELEASE_GLOB}' also matches pre-releases (1.2.3-rc.1): Harbor counts them with the releases"
    )
    notes.append("tags of unknown age are kept by dockgen; Harbor always knows the push time")
    return Export(
        {
            "algorithm": "or",
            "rules": rules,
            "trigger": {"kind": "Schedule", "settings": {"cron": cron}, "references": {}},
            "scope": {"level": "project", "ref": project_id},
        },
        notes,
    )


def _ecr_pattern(glob: str) -> str | None:
    """A glob as an ECR tag pattern (only ``*`` wildcards, at most four), or None."""
    if re.search(r"[?\[\]]", glob) or glob.count("*") > ECR_MAX_WILDCARDS:
        return None
    return glob


def to_ecr(policy: RetentionPolicy) -> Export:
    """An ECR lifecycle policy. ECR rules only expire; an image selected by a rule is never expired by a
    lower-priority (higher number) rule, so "keep" rules come first with a count no repository reaches."""
    notes = ["release counts are by push time in ECR (imageCountMoreThan), by version order in dockgen"]
    rules: list[dict[str, Any]] = []

    def add(description: str, selection: dict[str, Any]) -> None:
        rules.append(
            {
                "rulePriority": len(rules) + 1,
                "description": description[:256],
                "selection": selection,
                "action": {"type": "expire"},
            }
        )

    pinned = list(policy.always_keep)
    for p in policy.keep_patterns:
        if p.startswith("re:"):
            notes.append(f"regex keep pattern {p!r} cannot be exported to ECR, left out")
            continue
        converted = _ecr_pattern(p)
        if converted is None:
            notes.append(f"keep pattern {p!r} uses ?/[ ] or more than 4 '*': ECR cannot express it, left out")
            continue
        pinned.append(converted)
    for pattern in pinned:  # one rule per pattern: a tagPatternList selects images carrying ALL its patterns
        add(
            f"keep {pattern} (dockgen always_keep / keep_patterns)",
            {
                "tagStatus": "tagged",
                "tagPatternList": [pattern],
                "countType": "imageCountMoreThan",
                "countNumber": ECR_KEEP_FOREVER,
            },
        )
    if policy.keep_last_releases > 0:
        for env in policy.envs:
            add(
                f"keep the {policy.keep_last_releases} newest releases of env {env}",
                {
                    "tagStatus": "tagged",
                    "tagPatternList": [f"{RELEASE_GLOB}-{env}"],
                    "countType": "imageCountMoreThan",
                    "countNumber": policy.keep_last_releases,
                },
            )
        add(
            f"keep the {policy.keep_last_releases} newest releases",
            {
                "tagStatus": "tagged",
                "tagPatternList": [RELEASE_GLOB],
                "countType": "imageCountMoreThan",
                "countNumber": policy.keep_last_releases,
            },
        )
    else:
        notes.append(
            "keep_last_releases = 0 expires every release: ECR cannot count to 0, left to the age rule"
        )
    if policy.max_age_days is not None:
        add(
            f"expire other tags pushed more than {policy.max_age_days} days ago",
            {
                "tagStatus": "tagged",
                "tagPatternList": ["*"],
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": max(1, policy.max_age_days),
            },
        )
        if policy.max_age_days == 0:
            notes.append("max_age_days = 0 exported as 1 day (ECR's countNumber must be at least 1)")
    notes.append(
        f"'{RELEASE_GLOB}' also matches pre-releases (1.2.3-rc.1): ECR counts them with the releases"
    )
    return Export({"rules": rules}, notes)
