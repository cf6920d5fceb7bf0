"""Command-line side of the CI-aware tags: the ``--ci`` flags, and the outputs CI systems consume."""

from __future__ import annotations

import argparse
import json
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from pydantic import ValidationError

from dockgen.ci_env import PROVIDERS, CIEnv, detect_ci
from dockgen.ci_tags import CITagPolicy
from dockgen.errors import DockgenError, UsageError

OCI = "org.opencontainers.image"


def add_ci_flags(parser: argparse.ArgumentParser) -> None:
    ci = parser.add_argument_group("CI-aware tags (pr-<n>, edge, nightly, git tag match)")
    ci.add_argument(
        "--ci",
        choices=PROVIDERS,
        default=os.environ.get("DOCKGEN_CI") or None,
        help="read the kind of build from GitHub Actions, GitLab CI or the git checkout (auto: detect); "
        "default: $DOCKGEN_CI, else off",
    )
    ci.add_argument("--edge-tag", default=None, metavar="NAME", help="tag of default-branch builds (edge)")
    ci.add_argument("--no-edge", action="store_true", help="no tag for default-branch builds")
    ci.add_argument(
        "--schedule-tag",
        action="append",
        default=[],
        metavar="STRFTIME",
        help="tag of scheduled runs, e.g. nightly-%%Y%%m%%d (repeatable; default: nightly, nightly-%%Y%%m%%d)",
    )
    ci.add_argument("--tag-pattern", default=None, metavar="REGEX", help="regex applied to the git tag")
    ci.add_argument("--tag-group", default=None, metavar="N|NAME", help="group of --tag-pattern to tag with")
    ci.add_argument("--no-pr-tag", action="store_true", help="no pr-<n> tag for pull requests")


@dataclass(frozen=True)
class CIOptions:
    """The ``--ci`` flags of :func:`add_ci_flags`, read from the command line once."""

    provider: str | None = None
    edge_tag: str | None = None
    no_edge: bool = False
    schedule_tags: tuple[str, ...] = ()
    tag_pattern: str | None = None
    tag_group: str | None = None
    no_pr_tag: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CIOptions:
        return cls(
            provider=args.ci,
            edge_tag=args.edge_tag,
            no_edge=args.no_edge,
            schedule_tags=tuple(args.schedule_tag),
            tag_pattern=args.tag_pattern,
            tag_group=args.tag_group,
            no_pr_tag=args.no_pr_tag,
        )


def resolve_ci(options: CIOptions, project_dir: Path) -> tuple[CIEnv | None, CITagPolicy]:
    """The CI environment (None when ``--ci`` is off) and the CI tag policy from the flags."""
    data: dict[str, object] = {}
    if options.edge_tag is not None:
        data["edge"] = options.edge_tag
    if options.no_edge:
        data["edge"] = None
    if options.schedule_tags:
        data["schedule"] = options.schedule_tags
    if options.tag_pattern is not None:
        data["tag_pattern"] = options.tag_pattern
    tag_group = options.tag_group
    if tag_group is not None:
        data["tag_group"] = int(tag_group) if tag_group.isdigit() else tag_group
    if options.no_pr_tag:
        data["pr"] = False
    try:
        policy = CITagPolicy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise UsageError(f"CI tag options: {problems}") from None
    if options.provider is None:
        if data:
            raise UsageError("CI tag options need --ci", hint="add --ci auto (or github, gitlab, git)")
        return None, policy
    return detect_ci(options.provider, project_dir=project_dir), policy


class Metadata(TypedDict):
    """What ``dockgen tags --metadata-json`` prints and ``--github-output`` writes."""

    tags: list[str]
    labels: dict[str, str]
    annotations: list[str]
    version: str | None
    ci: dict[str, object] | None


def metadata(
    references: Sequence[str], version: str | None, ci: CIEnv | None, title: str | None, now: datetime
) -> Metadata:
    """tags, labels and annotations as docker/metadata-action gives them."""
    values = {
        "title": title,
        "version": version,
        "revision": ci.sha if ci else None,
        "source": ci.repository_url if ci else None,
        "url": ci.repository_url if ci else None,
        "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    labels = {f"{OCI}.{k}": v for k, v in values.items() if v}
    annotations = [f"{level}:{k}={v}" for level in ("manifest", "index") for k, v in labels.items()]
    return {
        "tags": list(references),
        "labels": labels,
        "annotations": annotations,
        "version": version,
        "ci": None if ci is None else {**ci.__dict__, "on_default_branch": ci.on_default_branch},
    }


def write_github_output(data: Metadata, environ: Mapping[str, str] | None = None) -> Path:
    """Append ``tags``, ``labels``, ``annotations`` (one per line), ``version`` and ``json`` to
    ``$GITHUB_OUTPUT`` in GitHub's multi-line syntax."""
    env = os.environ if environ is None else environ
    target = env.get("GITHUB_OUTPUT")
    if not target:
        raise UsageError(
            "--github-output: $GITHUB_OUTPUT is not set (it is inside a GitHub Actions step)",
            hint="use --metadata-json to print the same data as JSON outside GitHub Actions",
        )
    blocks = {
        "tags": "\n".join(data["tags"]),
        "labels": "\n".join(f"{k}={v}" for k, v in data["labels"].items()),
        "annotations": "\n".join(data["annotations"]),
        "version": data["version"] or "",
        "json": json.dumps({k: data[k] for k in ("tags", "labels", "annotations")}),
    }
    text = ""
    for key, value in blocks.items():
        delimiter = f"dockgen_{uuid.uuid4().hex}"
        text += f"{key}<<{delimiter}\n{value}\n{delimiter}\n"
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise DockgenError(f"--github-output: cannot write {target}: {exc.strerror or exc}") from None
    return Path(target)
