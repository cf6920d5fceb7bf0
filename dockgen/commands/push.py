"""``dockgen push``: publish the declared images (building what is missing, like ``build --push``).

With ``--no-build`` it only pushes images already built locally by ``dockgen build``, and fails for an
image whose current content was not built.
"""

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

NAME = "push"
HELP = "push the declared images: content by digest first, then every tag (same as build --push)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-build", action="store_true", help="only push what `dockgen build` already built"
    )
    add_common(parser)
    add_scan_sign(parser)


def run(args: argparse.Namespace, ctx: Context) -> int:
    options = options_from(args, push=True, push_only=args.no_build, project_dir=Path(ctx.project_dir))
    return run_and_report(load_specs(args, ctx, push=True), options, args, ctx)
