"""``dockgen push``: publish the declared images (building what is missing, like ``build --push``).

With ``--no-build`` it only pushes images already built locally by ``dockgen build``, and fails for an
image whose current content was not built.
"""

from __future__ import annotations

import argparse

from dockgen.commands._build_run import run_and_report
from dockgen.commands._build_support import add_common, add_scan_sign, read_build_request
from dockgen.commands._context import Context

NAME = "push"
HELP = "push the declared images: content by digest first, then every tag (same as build --push)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-build", action="store_true", help="only push what `dockgen build` already built"
    )
    add_common(parser)
    add_scan_sign(parser)


def run(args: argparse.Namespace, ctx: Context) -> int:
    return run_and_report(
        read_build_request(args, ctx, push=True, push_only=args.no_build), ctx.stdout, ctx.stderr
    )
