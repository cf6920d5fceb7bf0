"""Shared argument handling for ``dockgen build``, ``dockgen push`` and ``dockgen plan``."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from dockgen.build.adapter import specs_from_images
from dockgen.build.runner import BuildOptions, Runner, RunReport, summary_table
from dockgen.build.spec import BuildSpec
from dockgen.errors import UsageError


def add_common(parser: argparse.ArgumentParser, *, push_flags: bool = True) -> None:
    parser.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="NAME",
        help="only this image (and what it builds FROM); repeatable",
    )
    parser.add_argument(
        "--version",
        dest="image_version",
        default=None,
        help="version to tag (default: from git / the declaration)",
    )
    parser.add_argument("--env", default=None, help="environment suffix for tags (e.g. prod, staging)")
    parser.add_argument(
        "--platform",
        action="append",
        default=[],
        metavar="OS/ARCH",
        help="override platforms (repeatable or comma-separated)",
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "buildx", "engine"),
        default="auto",
        help="builder backend (default: buildx when available)",
    )
    parser.add_argument(
        "--builder", default=None, help="buildx builder name (docker-container, kubernetes, remote...)"
    )
    parser.add_argument("--jobs", "-j", type=int, default=2, help="images built in parallel (default 2)")
    parser.add_argument(
        "--keep-going", action="store_true", help="build the images that do not depend on a failed one"
    )
    parser.add_argument(
        "--no-skip", action="store_true", help="build even when the registry already has this content"
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--quiet", "-q", action="store_true", help="print only failures and the digests")
    out.add_argument(
        "--json", action="store_true", help="JSON events on stderr, one per line; JSON summary on stdout"
    )
    if push_flags:
        parser.add_argument(
            "--atomic", action="store_true", help="push only when every image built; all tags or none"
        )


def options_from(args: argparse.Namespace, *, push: bool, push_only: bool = False) -> BuildOptions:
    platforms = tuple(p.strip() for value in args.platform for p in value.split(",") if p.strip())
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    progress = "json" if args.json else "quiet" if args.quiet else "auto"
    return BuildOptions(
        push=push,
        atomic=bool(getattr(args, "atomic", False)),
        jobs=args.jobs,
        keep_going=args.keep_going,
        backend=args.backend,
        builder=args.builder,
        platforms=platforms,
        images=tuple(args.image),
        no_skip=args.no_skip,
        progress=progress,
        push_only=push_only,
    )


def load_specs(args: argparse.Namespace, ctx: Any) -> list[BuildSpec]:
    version = args.image_version or os.environ.get("DOCKGEN_VERSION")
    return specs_from_images(
        ctx.images(),
        project_dir=Path(ctx.project_dir),
        version=version,
        env=args.env,
        source=ctx.build_file.name,
    )


def report_json(report: RunReport) -> str:
    return json.dumps(
        {
            "ok": report.ok,
            "images": [
                {
                    "image": o.name,
                    "status": o.status,
                    "references": list(o.references),
                    "digest": o.digest,
                    "content_hash": o.content_hash,
                    "size": o.size,
                    "seconds": round(o.seconds, 3),
                    "tags_added": o.tags_added,
                    "detail": o.detail or None,
                }
                for o in report.outcomes.values()
            ],
            "rollback": report.rollback,
        },
        indent=2,
    )


def run_and_report(specs: list[BuildSpec], options: BuildOptions, args: argparse.Namespace, ctx: Any) -> int:
    runner = Runner(specs, options, ctx.stderr)
    report = runner.run()
    if args.json:
        print(report_json(report), file=ctx.stdout)
    elif args.quiet:
        for o in report.outcomes.values():
            print(f"{o.name} {o.status} {o.digest or '-'}", file=ctx.stdout)
    else:
        print(summary_table(report), file=ctx.stdout)
    for line in report.rollback:
        print(f"rollback: {line}", file=ctx.stderr)
    failed = [o for o in report.outcomes.values() if o.status == "failed"]
    if not args.json:
        for o in failed:
            print(f"error: {o.detail}", file=ctx.stderr)
        for err in report.errors:
            print(f"error: {err}", file=ctx.stderr)
    return 0 if report.ok else 1
