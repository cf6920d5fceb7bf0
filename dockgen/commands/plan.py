"""``dockgen plan``: print what ``dockgen build [--push]`` would do, and do nothing.

Shows the build order (dependencies first, with what runs in parallel), every reference per image, the
content hash, and whether the image would be built, pushed or skipped (when ``--push`` is given and the
registry already holds that content). ``--bake-file PATH`` writes the same images as a bake file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from dockgen.builders.bake import bake_document, bake_text, write_bake_file
from dockgen.builders.plan import make_plan, render_plan
from dockgen.commands._build_run import load_specs, run_options
from dockgen.commands._build_support import add_common, read_plan_request
from dockgen.commands._context import Context
from dockgen.commands._requests import PlanRequest

NAME = "plan"
HELP = "print the build/push plan (order, tags, pushes, skips) without doing anything; --bake-file"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--push", action="store_true", help="plan a push (checks the registries for skips)")
    parser.add_argument(
        "--offline", action="store_true", help="do not contact registries (no skip detection)"
    )
    parser.add_argument(
        "--bake-file",
        default=None,
        metavar="PATH",
        help="also write a docker buildx bake file (paths relative to it; - prints it to stdout, the plan to stderr)",
    )
    add_common(parser)


def run(args: argparse.Namespace, ctx: Context) -> int:
    return show_plan(read_plan_request(args, ctx), ctx.stdout, ctx.stderr)


def show_plan(req: PlanRequest, stdout: TextIO, stderr: TextIO) -> int:
    options = run_options(req.flags, push=req.push, project_dir=req.declared.project_dir)
    specs = load_specs(req.declared, req.flags, stderr, push=req.push, offline=req.offline)
    plan = make_plan(specs, options, offline=req.offline)
    out = stdout
    if req.bake_file:
        to_stdout = req.bake_file == "-"
        target = None if to_stdout else Path(req.bake_file).resolve()
        inline: list[str] = []
        document = bake_document(
            plan.specs,
            labels={s.name: s.labels for s in plan.steps_specs()},
            push=req.push,
            source_date_epoch=plan.source_date_epoch,
            base_dir=Path.cwd() if target is None else target.parent,
            inline=inline,
        )
        if inline:
            print(
                f"note: {', '.join(inline)}: Dockerfile inlined in the bake file (not rendered, or stale); run "
                "`dockgen render` first to reference the rendered files instead",
                file=stderr,
            )
        if to_stdout:  # the bake file is the output; the plan goes to stderr
            stdout.write(bake_text(document))
            out = stderr
        else:
            assert target is not None
            write_bake_file(target, document)
            print(f"wrote {req.bake_file}", file=stderr)
    if req.flags.json:
        print(json.dumps(plan.to_json(), indent=2), file=out)
    else:
        print(render_plan(plan), file=out)
    return 0
