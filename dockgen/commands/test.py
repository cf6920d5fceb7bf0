"""``dockgen test``: run the checks declared on each image (``Image(checks=[...])``) against local images.

The image under test is the local build of its first reference (what ``dockgen build`` tagged); ``--build``
builds first; ``--reference NAME=IMAGE`` tests any other image. Exit 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import TextIO

from dockgen.commands._build_run import load_specs, run_options
from dockgen.commands._build_support import add_common, read_test_request
from dockgen.commands._context import Context
from dockgen.commands._requests import TestRequest
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


def run(args: argparse.Namespace, ctx: Context) -> int:
    return run_tests(read_test_request(args, ctx), ctx.stdout, ctx.stderr)


def run_tests(req: TestRequest, stdout: TextIO, stderr: TextIO) -> int:
    declared = req.declared
    checks = declared_checks(declared.images)
    wanted = set(req.flags.selected) | set(req.references)
    unknown = sorted(wanted - declared.names())
    if unknown:
        raise UsageError(f"no declared image named {', '.join(unknown)}")
    selected = {n: c for n, c in checks.items() if not wanted or n in wanted}
    if not selected:
        print("no image declares checks (Image(checks=[...])); nothing to test", file=stderr)
        return 0
    specs = {s.name: s for s in load_specs(declared, req.flags, stderr)}
    if req.build:
        from dockgen.builders.runner import Runner, summary_table

        options = replace(
            run_options(req.flags, push=False, project_dir=declared.project_dir), images=tuple(selected)
        )
        report = Runner(list(specs.values()), options, stderr).run()
        if not report.ok:
            print(summary_table(report), file=stderr)
            raise DockgenError("the build failed; nothing was tested")
    results: list[CheckResult] = []
    for name, image_checks in selected.items():
        reference = req.references.get(name) or specs[name].references[0]
        print(f"{name}: {len(image_checks)} checks on {reference}", file=stderr)
        results += run_checks(ImageUnderTest(reference, name, pull=req.pull), image_checks)
    write_junit(req.junit, results)
    if req.flags.json:
        rows = [r.__dict__ | {"seconds": round(r.seconds, 3)} for r in results]
        print(json.dumps(rows, indent=2), file=stdout)
    else:
        for line in text_report(results):
            print(line, file=stdout)
        failed = sum(1 for r in results if not r.passed)
        print(f"{len(results) - failed} passed, {failed} failed", file=stdout)
    return 0 if all(r.passed for r in results) else 1
