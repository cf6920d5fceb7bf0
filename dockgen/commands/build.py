"""``dockgen build``: build the declared images in dependency order; ``--push`` publishes them."""

from __future__ import annotations

import argparse

from dockgen.commands._build_run import run_and_report
from dockgen.commands._build_support import add_common, add_scan_sign, read_build_request
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
    return run_and_report(read_build_request(args, ctx, push=args.push), ctx.stdout, ctx.stderr)
