"""``dockgen prune``: digest-safe retention of old tags (dry run unless ``--yes``), or policy export."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from dockgen.commands._context import Context
from dockgen.errors import DockgenError, UsageError
from dockgen.lifecycle.export import to_ecr, to_harbor
from dockgen.lifecycle.policy import RetentionPolicy, find_policy_config, load_policy
from dockgen.lifecycle.retention import (
    PrunePlan,
    apply_prune,
    parse_time,
    plan_prune,
    probe_delete,
)
from dockgen.registry import RegistryClient, parse_reference
from dockgen.registry.errors import RepositoryNotFoundError

NAME = "prune"
HELP = "delete old tags by a retention policy, never a digest a kept tag needs (dry run unless --yes)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "repositories",
        metavar="REPO",
        nargs="*",
        help="repositories to prune (registry/name; a tag is ignored); default: every declared image's",
    )
    parser.add_argument("--yes", action="store_true", help="really delete (default: dry run, show the plan)")
    parser.add_argument("--json", action="store_true", help="print the plan / result as JSON")
    parser.add_argument(
        "--config", metavar="PATH", help="read [retention] from this dockgen.toml/pyproject.toml"
    )
    parser.add_argument("--keep-last", type=int, metavar="N", help="keep the N newest releases (per env)")
    parser.add_argument(
        "--max-age-days",
        metavar="D",
        help="delete non-release tags pushed more than D days ago ('none': never)",
    )
    parser.add_argument(
        "--keep", action="append", default=[], metavar="PATTERN", help="keep tags matching a glob or re:REGEX"
    )
    parser.add_argument(
        "--no-always-keep", action="store_true", help="start from an empty always_keep list (default: latest)"
    )
    parser.add_argument("--always-keep", action="append", default=[], metavar="TAG", help="keep this tag")
    parser.add_argument(
        "--env", action="append", default=[], metavar="ENV", help="an env suffix (-prod) to group by"
    )
    parser.add_argument(
        "--export", choices=("harbor", "ecr"), help="print the policy as a Harbor / ECR policy JSON and exit"
    )
    parser.add_argument("--harbor-project-id", type=int, default=1, help="scope.ref of the Harbor policy")
    parser.add_argument("--now", metavar="TIME", help=argparse.SUPPRESS)  # RFC 3339; reproducible runs
    parser.add_argument("--insecure", action="store_true", help="allow plain HTTP / unverified TLS")
    parser.add_argument("--ca-bundle", metavar="PEM", help="verify TLS with this CA bundle")


def _policy(args: argparse.Namespace, ctx: Context) -> RetentionPolicy:
    if args.config:
        path = Path(args.config)
        if not path.is_file():
            raise UsageError(f"--config {path}: no such file")
        policy = load_policy(path)
    else:
        found = find_policy_config(ctx.project_dir if ctx.build_file.is_file() else Path.cwd())
        policy = load_policy(found) if found else RetentionPolicy()
    update: dict[str, object] = {}
    if args.keep_last is not None:
        update["keep_last_releases"] = args.keep_last
    if args.max_age_days is not None:
        update["max_age_days"] = None if args.max_age_days.lower() == "none" else args.max_age_days
    if args.keep:
        update["keep_patterns"] = (*policy.keep_patterns, *args.keep)
    if args.always_keep or args.no_always_keep:
        base = () if args.no_always_keep else policy.always_keep
        update["always_keep"] = (*base, *args.always_keep)
    if args.env:
        update["envs"] = (*policy.envs, *args.env)
    if not update:
        return policy
    try:
        return RetentionPolicy.model_validate({**policy.model_dump(), **update})
    except ValidationError as exc:
        options = {
            "keep_last_releases": "--keep-last",
            "max_age_days": "--max-age-days",
            "keep_patterns": "--keep",
            "always_keep": "--always-keep",
            "envs": "--env",
        }
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            option = options.get(field, field or "retention policy")
            problems.append(f"{option} {err['input']!r}: {err['msg']}")
        raise UsageError(
            "invalid retention option: " + "; ".join(problems), hint="run `dockgen prune --help`"
        ) from None


def _targets(args: argparse.Namespace, ctx: Context) -> tuple[list[str], tuple[str, ...]]:
    """References to prune and the envs the declared images use."""
    if args.repositories:
        return list(args.repositories), ()
    if not ctx.build_file.is_file():
        if args.export:
            return [], ()
        raise UsageError(
            "no repository given and no build file here",
            hint="name the repositories (dockgen prune registry.example.com/team/app) or run next to build_images.py",
        )
    images = ctx.images()
    return [i.repository for i in images], tuple(i.env for i in images if i.env)


def _table(plan: PrunePlan, dry_run: bool) -> str:
    rows = [("TAG", "KIND", "ENV", "AGE", "ACTION", "REASON")]
    for t in sorted(plan.tags, key=lambda t: (t.action != "delete", t.tag)):
        age = "?" if t.age_days is None else f"{t.age_days:.0f}d"
        action = ("would delete" if dry_run else "deleted") if t.action == "delete" else "keep"
        rows.append((t.tag, t.kind, t.env or "-", age, action, t.reason))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(r[:5])) + "  " + r[5] for r in rows]
    verb = "would delete" if dry_run else "deleted"
    lines.append(
        f"{verb} {len(plan.deleted_tags)} of {len(plan.tags)} tags, {len(plan.delete_digests)} manifests "
        f"({len(plan.untagged_children)} untagged: index children, attestations, referrers)"
    )
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace, ctx: Context) -> int:
    policy = _policy(args, ctx)
    refs, envs = _targets(args, ctx)
    if envs:
        policy = policy.with_envs(envs)
    if args.export:
        repos = [parse_reference(r).repository for r in refs]
        exported = (
            to_harbor(policy, repositories=repos, project_id=args.harbor_project_id)
            if args.export == "harbor"
            else to_ecr(policy)
        )
        print(json.dumps(exported.document, indent=2), file=ctx.stdout)
        for note in exported.notes:
            print(f"note: {note}", file=ctx.stderr)
        return 0
    now = dt.datetime.now(tz=dt.UTC)
    if args.now:
        parsed = parse_time(args.now)
        if parsed is None:
            raise UsageError(f"--now {args.now!r} is not an RFC 3339 time (2024-05-01T00:00:00Z)")
        now = parsed
    dry_run = not args.yes
    report: list[dict[str, object]] = []
    failed = False
    for raw in refs:
        ref = parse_reference(raw)
        with RegistryClient.for_reference(
            ref, insecure=True if args.insecure else None, ca_bundle=args.ca_bundle
        ) as client:
            if not _repository_exists(client, ref.repository):
                missing = f"{client.registry}/{ref.repository}"
                if args.repositories:  # named on the command line: most likely a typo
                    failed = True
                    print(
                        f"error: repository {missing} is unknown to the registry\n"
                        "  hint: check the name (registry/namespace/name, as `dockgen tags` prints it)",
                        file=ctx.stderr,
                    )
                    report.append({"repository": missing, "error": "unknown repository"})
                else:
                    print(
                        f"note: {missing} has no tags yet (never pushed); nothing to prune", file=ctx.stderr
                    )
                continue
            support = probe_delete(client, ref.repository)
            plan = plan_prune(client, ref.repository, policy, now=now, on_progress=_progress(ctx, args))
            entry: dict[str, object] = {
                **plan.to_json(),
                "delete_support": support.to_json(),
                "dry_run": dry_run,
            }
            if support.status in ("refused", "denied") and plan.delete_digests:
                msg = f"{client.registry} {'refuses' if support.status == 'refused' else 'denies'} deletes ({support.detail})"
                print(f"warning: {msg}\n  hint: {support.hint}", file=ctx.stderr)
                if not dry_run:
                    failed = True
                    entry["error"] = msg
                    report.append(entry)
                    if not args.json:
                        print(f"{client.registry}/{ref.repository}: nothing deleted: {msg}", file=ctx.stdout)
                    continue
            if not dry_run and plan.delete_digests:
                try:
                    result = apply_prune(client, plan, on_progress=_progress(ctx, args))
                except DockgenError as exc:
                    entry["error"] = str(exc)
                    report.append(entry)
                    failed = True
                    print(f"error: {exc}", file=ctx.stderr)
                    continue
                entry["deleted"] = result.deleted
                entry["already_gone"] = result.already_gone
            report.append(entry)
            if not args.json:
                head = f"{client.registry}/{ref.repository}"
                head += "  (dry run: nothing deleted; run with --yes to apply)" if dry_run else ""
                print(head, file=ctx.stdout)
                print(_table(plan, dry_run), file=ctx.stdout)
    if args.json:
        print(json.dumps({"dry_run": dry_run, "repositories": report}, indent=2), file=ctx.stdout)
    return 1 if failed else 0


def _repository_exists(client: RegistryClient, repository: str) -> bool:
    try:
        client.list_tags(repository)
    except RepositoryNotFoundError:
        return False
    return True


def _progress(ctx: Context, args: argparse.Namespace) -> Callable[[str], None]:
    def emit(message: str) -> None:
        print(message, file=ctx.stderr if ctx.stderr is not None else sys.stderr)

    return emit
