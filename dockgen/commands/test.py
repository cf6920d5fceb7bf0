"""``dockgen test``: run the checks declared on each image (``Image(checks=[...])``) against local images.

The image under test is the local build of its first reference (what ``dockgen build`` tagged); ``--build``
builds first; ``--reference NAME=IMAGE`` tests any other image. Exit 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json

from dockgen.commands._build_support import add_common, load_specs, options_from
from dockgen.commands._context import Context
from dockgen.errors import DockgenError, UsageError
from dockgen.imagetest.engine import CheckResult, ImageUnderTest, run_checks
from dockgen.imagetest.gate import declared_checks, write_junit
from dockgen.imagetest.report import text_report

NAME = "test"
HELP = "run the image checks declared on each image (command, file, user, port, metadata) on local images"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--build", action="store_true", help="build the images (locally) first")
    parser.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="NAME=IMAGE",
        help="test IMAGE (any local or pullable reference) for the declared image NAME; repeatable",
    )
    parser.add_argument("--pull", action="store_true", help="pull an image the engine does not have")
    parser.add_argument("--junit", metavar="FILE", default=None, help="write the results as JUnit XML")
    add_common(parser, push_flags=False)


def _overrides(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, eq, ref = item.partition("=")
        if not eq or not name or not ref:
            raise UsageError(
                f"--reference {item!r}: expected NAME=IMAGE", hint="e.g. --reference web=web:dev"
            )
        out[name] = ref
    return out


def run(args: argparse.Namespace, ctx: Context) -> int:
    checks = declared_checks(ctx.images())
    overrides = _overrides(args.reference)
    wanted = set(args.image) | set(overrides)
    unknown = sorted(wanted - {i.name for i in ctx.images()})
    if unknown:
        raise UsageError(f"no declared image named {', '.join(unknown)}")
    selected = {n: c for n, c in checks.items() if not wanted or n in wanted}
    if not selected:
        print("no image declares checks (Image(checks=[...])); nothing to test", file=ctx.stderr)
        return 0
    specs = {s.name: s for s in load_specs(args, ctx)}
    if args.build:
        from dockgen.builders.runner import Runner, summary_table

        options = options_from(args, push=False)
        options.images = tuple(selected)
        report = Runner(list(specs.values()), options, ctx.stderr).run()
        if not report.ok:
            print(summary_table(report), file=ctx.stderr)
            raise DockgenError("the build failed; nothing was tested")
    results: list[CheckResult] = []
    for name, image_checks in selected.items():
        reference = overrides.get(name) or specs[name].references[0]
        print(f"{name}: {len(image_checks)} checks on {reference}", file=ctx.stderr)
        results += run_checks(ImageUnderTest(reference, name, pull=args.pull), image_checks)
    write_junit(args.junit, results)
    if args.json:
        rows = [r.__dict__ | {"seconds": round(r.seconds, 3)} for r in results]
        print(json.dumps(rows, indent=2), file=ctx.stdout)
    else:
        for line in text_report(results):
            print(line, file=ctx.stdout)
        failed = sum(1 for r in results if not r.passed)
        print(f"{len(results) - failed} passed, {failed} failed", file=ctx.stdout)
    return 0 if all(r.passed for r in results) else 1
