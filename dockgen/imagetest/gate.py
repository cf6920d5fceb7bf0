"""Image checks as the publish gate of ``build --push`` / ``push``, and the flags that control them."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dockgen.errors import BuildError, DockgenError
from dockgen.imagetest.engine import AnyCheck, CheckResult, ImageUnderTest, run_checks
from dockgen.imagetest.report import junit_xml, text_report

if TYPE_CHECKING:
    from dockgen.models import Image

Gate = Callable[[str, str], None]


def add_test_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("image checks (Image.checks)")
    group.add_argument(
        "--no-test",
        action="store_true",
        help="do not run the declared image checks before publishing the tags",
    )
    group.add_argument("--junit", metavar="FILE", default=None, help="write the check results as JUnit XML")


def declared_checks(images: Sequence[Image]) -> dict[str, list[AnyCheck]]:
    """Image name -> its declared checks (images without checks left out)."""
    return {i.name: list(i.checks) for i in images if i.checks}


def write_junit(path: str | None, results: Sequence[CheckResult]) -> None:
    if path is None:
        return
    try:
        Path(path).write_text(junit_xml(results), encoding="utf-8")
    except OSError as exc:
        raise DockgenError(f"--junit {path}: cannot write the report: {exc.strerror or exc}") from None


def checks_gate(checks: dict[str, list[AnyCheck]], results: list[CheckResult], stderr: TextIO) -> Gate:
    """``gate(name, repo@digest)``: pull the pushed content, run the image's checks, raise on a failure.

    A failed check stops that image before any of its tags is published (it keeps only its internal
    content tag), like the scan gate.
    """

    def gate(name: str, by_digest: str) -> None:
        wanted = checks.get(name)
        if not wanted:
            return
        print(f"{name}: running {len(wanted)} image checks on {by_digest}", file=stderr)
        found = run_checks(ImageUnderTest(by_digest, name, pull=True), wanted)
        results.extend(found)
        for line in text_report(found):
            print(line, file=stderr)
        failed = [r for r in found if not r.passed]
        if failed:
            first = failed[0]
            raise BuildError(
                f"image {name!r}: {len(failed)} of {len(found)} image checks failed on {by_digest}; no tag was "
                f"published. First: [{first.check}] expected {first.expected}, saw {first.seen}",
                hint="fix the image or the check (dockgen test runs them on a local build); --no-test skips them",
            )

    return gate


def chain(*gates: Gate | None) -> Gate | None:
    """One gate running the given ones in order (None when there are none)."""
    present = [g for g in gates if g is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]

    def gate(name: str, by_digest: str) -> None:
        for g in present:
            g(name, by_digest)

    return gate
