"""``dockgen rules``: list every installed lint rule (code, name, severity, fix, equivalents)."""

from __future__ import annotations

import argparse
import io
import json
import os
from typing import TextIO

from dockgen.commands._context import Context
from dockgen.lint.docs import parse_doc, rule_metadata
from dockgen.lint.registry import default_ruleset
from dockgen.lint.rule import FixAvailability

NAME = "rules"
HELP = "list the lint rules (code, name, severity, fixable, equivalents); --format json"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (text)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    rules = list(default_ruleset())
    if args.format == "json":
        ctx.stdout.write(json.dumps([rule_metadata(r) for r in rules], indent=2) + "\n")
        return 0
    width = _terminal_width(ctx.stdout)
    rows = [("CODE", "NAME", "SEVERITY", "FIX", "EQUIVALENTS", "SUMMARY")]
    for r in rules:
        sev = str(r.severity) + ("" if r.enabled_by_default else " (opt-in)")
        rows.append(
            (
                r.code,
                r.name,
                sev,
                "-" if r.fix_availability is FixAvailability.NEVER else str(r.fix_availability),
                _equivalents(r.equivalents, EQUIVALENTS_WIDTH if width else None),
                parse_doc(r).short,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    columns = [0, 1, 2, 3, 4, 5]
    if width is not None:
        # CODE, NAME, SEVERITY and FIX always; then EQUIVALENTS and the SUMMARY if they fit.
        fixed = sum(widths[:4]) + 2 * 3
        if fixed > width:  # a very narrow terminal: shorten the names
            widths[1] = max(widths[1] - (fixed - width), 12)
            fixed = sum(widths[:4]) + 2 * 3
        columns = [0, 1, 2, 3]
        if fixed + 2 + widths[4] <= width:
            columns.append(4)
            fixed += 2 + widths[4]
        if width - fixed - 2 >= MIN_SUMMARY:
            columns.append(5)
            widths[5] = width - fixed - 2
    for row in rows:
        cells = [_clip(row[i], widths[i]).ljust(widths[i]) for i in columns]
        ctx.stdout.write("  ".join(cells).rstrip() + "\n")
    ctx.stdout.write(f"{len(rules)} rules; `dockgen rule CODE` shows one.\n")
    return 0


EQUIVALENTS_WIDTH = 26
MIN_SUMMARY = 16  # narrower than that, the summary column is left out


def _terminal_width(stream: TextIO) -> int | None:
    """Columns to fit in: ``$COLUMNS``, else the terminal's width; None (no limit) when piped."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _equivalents(codes: tuple[str, ...], width: int | None) -> str:
    """``DL3006,DS-0001,+1`` when the whole list is wider than ``width``."""
    full = ",".join(codes) or "-"
    if width is None or len(full) <= width:
        return full
    shown: list[str] = []
    for i, code in enumerate(codes):
        more = f",+{len(codes) - i}"
        if len(",".join([*shown, code])) + len(more) > width:
            return ",".join(shown) + more if shown else f"+{len(codes)}"
        shown.append(code)
    return full
