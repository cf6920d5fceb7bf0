"""``dockgen build``: build the declared images in dependency order; ``--push`` publishes them."""

from __future__ import annotations

import argparse
from pathlib import Path

from dockgen.commands._build_support import (
    add_common,
    add_scan_sign,
    load_specs,
    options_from,
    run_and_report,
)
from dockgen.commands._context import Context

NAME = "build"
HELP = "build the declared images (in dependency order, in parallel); --push publishes every tag"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--push", action="store_true", help="push content, then every tag (skips unchanged images)"
    )
    add_common(parser)
    add_scan_sign(parser)


def run(args: argparse.Namespace, ctx: Context) -> int:
    options = options_from(args, push=args.push, project_dir=Path(ctx.project_dir))
    return run_and_report(load_specs(args, ctx, push=args.push), options, args, ctx)
