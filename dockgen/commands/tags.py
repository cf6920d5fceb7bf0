"""``dockgen tags``: print the image references a build would push, and why.

Works from the build file (every declared image, or those picked with ``--image``) or standalone for CI
scripts: ``dockgen tags --version 1.2.3 --name myapp --registry registry.example.com --namespace team``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from dockgen import clock
from dockgen._version_source import VersionInfo, build_number_from_env, detect_version, read_git_state
from dockgen.ci_tags import apply_ci
from dockgen.commands._ci import CIOptions, add_ci_flags, metadata, resolve_ci, write_github_output
from dockgen.commands._context import Context
from dockgen.errors import DockgenError, UsageError
from dockgen.reference import registry_looks_like_namespace, repository_name
from dockgen.tags import GitState, TagDecision, TagPolicy, explain_tags
from dockgen.versions import try_parse_version

NAME = "tags"
HELP = "print the image references (registry/namespace/name:tag) computed for each image, with --explain why"


def configure(parser: argparse.ArgumentParser) -> None:
    src = parser.add_argument_group("version")
    src.add_argument("--version", dest="tag_version", metavar="VERSION", help="the version (default: auto)")
    src.add_argument(
        "--version-from",
        choices=("auto", "git", "file"),
        default="auto",
        help="where to find the version when not given: git tag then pyproject.toml/package.json (auto)",
    )
    src.add_argument("--env", help="environment suffix for every tag (2.1.0-prod, latest-prod)")
    src.add_argument(
        "--build-number", help="CI build number (default: $GITHUB_RUN_NUMBER, $CI_PIPELINE_IID, ...)"
    )
    ex = parser.add_argument_group("existing tags (so that 1.2, 1 and latest only move forward)")
    ex.add_argument("--existing", action="append", default=[], metavar="TAG,...", help="tags already pushed")
    ex.add_argument(
        "--existing-from-registry", action="store_true", help="list the tags already pushed from the registry"
    )
    img = parser.add_argument_group("images")
    img.add_argument(
        "--image", action="append", default=[], metavar="NAME", help="only these images (repeatable)"
    )
    img.add_argument("--name", help="standalone: the image name (no build file needed)")
    img.add_argument("--registry", help="registry host[:port] (standalone, or override)")
    img.add_argument("--namespace", help="namespace / team path (standalone, or override)")
    pol = parser.add_argument_group("policy")
    pol.add_argument("--sha-length", type=int, metavar="N", help="length of the short sha (default 7)")
    pol.add_argument(
        "--template",
        action="append",
        default=[],
        metavar="TEMPLATE",
        help='an extra tag, e.g. "{version}-{sha}"',
    )
    pol.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a tag policy field, e.g. branch=true, major_zero=true, timestamp=true (see docs/tags.md)",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--json", action="store_true", help="a JSON list of {image, reference, tag, reason, given}"
    )
    out.add_argument("--explain", action="store_true", help="also show the tags withheld, and why")
    out.add_argument(
        "--github-output",
        action="store_true",
        help="append tags, labels, annotations, version and json to $GITHUB_OUTPUT (like metadata-action)",
    )
    out.add_argument(
        "--metadata-json", action="store_true", help="print {tags, labels, annotations, version, ci} as JSON"
    )
    add_ci_flags(parser)


@dataclass(frozen=True)
class _Target:
    name: str
    registry: str | None
    namespace: str | None
    version: str | None
    env: str | None
    policy: TagPolicy


def _policy_of(value: object, where: str) -> TagPolicy:
    if value is None:
        return TagPolicy()
    if isinstance(value, TagPolicy):
        return value
    if isinstance(value, Mapping):
        return _validated(dict(value), where)
    raise DockgenError(f"{where}: tags must be a TagPolicy, not {type(value).__name__}")


def _validated(data: dict[str, object], where: str) -> TagPolicy:
    try:
        return TagPolicy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        fields = ", ".join(TagPolicy.model_fields)
        raise UsageError(
            f"{where}: invalid tag policy: {problems}", hint=f"policy fields: {fields}"
        ) from None


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in args.policy:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"--policy {item!r}: expected KEY=VALUE", hint="e.g. --policy branch=true")
        out[key.strip()] = value
    if "templates" in out:
        raise UsageError("--policy templates=...: use --template TEMPLATE (repeatable) instead")
    if args.sha_length is not None:
        out["sha_length"] = args.sha_length
    return out


def _apply(
    policy: TagPolicy, overrides: dict[str, object], templates: Sequence[str], where: str
) -> TagPolicy:
    if not overrides and not templates:
        return policy
    data = {**policy.model_dump(), **overrides}
    data["templates"] = (*policy.templates, *templates)
    return _validated(data, where)


def _str_attr(obj: object, name: str) -> str | None:
    value = getattr(obj, name, None)
    return value if isinstance(value, str) and value else None


def _targets(args: argparse.Namespace, ctx: Context) -> list[_Target]:
    overrides = _overrides(args)
    if args.name:
        if args.image:
            raise UsageError(
                "--image selects images from the build file; with --name there is only one image"
            )
        policy = _apply(TagPolicy(), overrides, args.template, "--policy")
        return [_Target(args.name, args.registry, args.namespace, None, None, policy)]
    if ctx.given_images is None and not ctx.build_file.is_file():
        raise UsageError(
            f"{ctx.build_file}: no build file here",
            hint="pass --name NAME (with --version, --registry, --namespace) to compute tags without one",
        )
    images = ctx.images()
    wanted = set(args.image)
    targets: list[_Target] = []
    for index, image in enumerate(images):
        name = _str_attr(image, "name")
        if name is None:
            raise DockgenError(f"image #{index + 1} has no name", hint="give every image a name")
        if wanted and name not in wanted:
            continue
        where = f"image {name!r}"
        policy = _apply(_policy_of(getattr(image, "tags", None), where), overrides, args.template, where)
        targets.append(
            _Target(
                name,
                args.registry or _str_attr(image, "registry"),
                args.namespace or _str_attr(image, "namespace"),
                _str_attr(image, "version"),
                _str_attr(image, "env"),
                policy,
            )
        )
    unknown = sorted(wanted - {_str_attr(i, "name") for i in images})
    if unknown:
        known = ", ".join(sorted(n for n in (_str_attr(i, "name") for i in images) if n))
        raise UsageError(f"--image: no image named {', '.join(unknown)}", hint=f"declared images: {known}")
    return targets


def _registry_lister() -> Callable[[str], list[str]]:
    """Lists a repository's tags (``dockgen.registry.list_tags``); imported only when asked for."""
    from dockgen.registry import list_tags

    return list_tags


def run(args: argparse.Namespace, ctx: Context) -> int:
    targets = _targets(args, ctx)
    if args.sha_length is not None and not 4 <= args.sha_length <= 40:
        raise UsageError(f"--sha-length {args.sha_length}: must be between 4 and 40")
    existing_given = [t.strip() for item in args.existing for t in item.split(",") if t.strip()]
    git: GitState | None = read_git_state(ctx.project_dir)
    build_number = args.build_number or build_number_from_env()
    now = clock.now()
    lister = _registry_lister() if args.existing_from_registry else None
    ci, ci_policy = resolve_ci(CIOptions.from_args(args), ctx.project_dir)
    if ci is not None:
        print(f"CI: {ci.describe()}", file=ctx.stderr)
    all_refs: list[str] = []
    versions: list[str] = []

    detected: dict[int, VersionInfo | None] = {}

    def auto_version(sha_length: int) -> VersionInfo | None:
        if sha_length not in detected:
            detected[sha_length] = detect_version(ctx.project_dir, args.version_from, sha_length=sha_length)
        return detected[sha_length]

    rows: list[dict[str, object]] = []
    text: list[str] = []
    assumed_highest: list[str] = []  # repositories whose moving tags were computed without existing tags
    for target in targets:
        repo = repository_name(target.registry, target.namespace, target.name)
        if target.registry and registry_looks_like_namespace(target.registry):
            print(
                f"warning: registry {target.registry!r} has no '.' or ':' and is not localhost: Docker will "
                f"read {repo} as a Docker Hub repository",
                file=ctx.stderr,
            )
        info: VersionInfo | None
        if args.tag_version:
            info = VersionInfo(args.tag_version, "--version")
        elif target.version:
            info = VersionInfo(target.version, "the image declaration")
        elif ci is not None and ci.event == "tag" and ci.tag and try_parse_version(ci.tag) is not None:
            info = VersionInfo(ci.tag, f"the CI's git tag {ci.tag}")
        else:
            info = auto_version(target.policy.sha_length)
        env = args.env or target.env
        existing = list(existing_given)
        if lister is not None:
            existing += lister(repo)
        decisions = explain_tags(
            info.version if info else None,
            env=env,
            existing=existing,
            git=git,
            policy=target.policy,
            now=now,
            build_number=build_number,
        )
        if ci is not None:
            suffix = f"-{env}" if env and target.policy.env_suffix else ""
            decisions = apply_ci(decisions, ci, ci_policy, now=now, env_suffix=suffix)
        if _progress(ctx, repo, info, env, lister is not None or bool(existing_given), decisions):
            assumed_highest.append(repo)
        given = [d for d in decisions if d.given and d.tag]
        if not given:
            raise DockgenError(
                f"{repo}: no tags computed",
                hint="pass --version (or tag the commit, or run inside a git repository with a commit)",
            )
        shown = decisions if args.explain else given
        all_refs += [f"{repo}:{d.tag}" for d in given]
        versions += [
            d.tag for d in given if d.kind in ("semver", "match", "pr", "edge", "schedule") and d.tag
        ]
        for d in shown:
            rows.append(
                {
                    "image": target.name,
                    "reference": f"{repo}:{d.tag}" if d.tag else None,
                    "tag": d.tag,
                    "reason": d.reason,
                    "given": d.given,
                }
            )
        text.extend(_text(repo, info, env, shown, args.explain))
    if assumed_highest:  # said once per run, not once per image
        which = assumed_highest[0] if len(assumed_highest) == 1 else f"{len(assumed_highest)} images"
        print(
            f"note: no existing tags given for {which}: 'latest' and the short tags assume this is the highest "
            "release (pass --existing TAG,... or --existing-from-registry)",
            file=ctx.stderr,
        )
    if args.github_output or args.metadata_json:
        title = targets[0].name if len(targets) == 1 else None
        data = metadata(all_refs, versions[0] if versions else None, ci, title, now)
        if args.github_output:
            path = write_github_output(data)
            print(f"wrote tags, labels, annotations, version and json to {path}", file=ctx.stderr)
        if args.metadata_json:
            print(json.dumps(data, indent=2), file=ctx.stdout)
            return 0
    if args.json:
        print(json.dumps(rows, indent=2), file=ctx.stdout)
    else:
        for line in text:
            print(line, file=ctx.stdout)
    return 0


def _progress(
    ctx: Context,
    repo: str,
    info: VersionInfo | None,
    env: str | None,
    existing_asked: bool,
    decisions: list[TagDecision],
) -> bool:
    """Say where the version came from; True when moving tags were computed without existing tags."""
    where = f"version {info.version} from {info.source}" if info else "no version"
    print(f"{repo}: {where}" + (f", env {env}" if env else ""), file=ctx.stderr)
    moving = any(d.given and d.kind in ("major_minor", "major", "latest") for d in decisions)
    return moving and not existing_asked


def _text(
    repo: str, info: VersionInfo | None, env: str | None, shown: list[TagDecision], explain: bool
) -> list[str]:
    if not explain:
        return [f"{repo}:{d.tag}" for d in shown]
    head = f"{repo}  ({f'version {info.version} from {info.source}' if info else 'no version'}"
    lines = [head + (f", env {env})" if env else ")")]
    width = max((len(d.tag or "-") for d in shown), default=1)
    for d in shown:
        mark = "+" if d.given else "-"
        lines.append(f"  {mark} {(d.tag or '-'):<{width}}  {d.reason}")
    return lines
