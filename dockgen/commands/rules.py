"""``dockgen rules``: list every installed lint rule (code, name, severity, fix, equivalents)."""

from __future__ import annotations

import argparse
import json

from dockgen.cli import Context
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
    rows = [("CODE", "NAME", "SEVERITY", "FIX", "EQUIVALENTS", "SUMMARY")]
    for r in rules:
        sev = str(r.severity) + ("" if r.enabled_by_default else " (opt-in)")
        rows.append(
            (
                r.code,
                r.name,
                sev,
                "-" if r.fix_availability is FixAvailability.NEVER else str(r.fix_availability),
                ",".join(r.equivalents) or "-",
                parse_doc(r).short,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        ctx.stdout.write(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5] + "\n"
        )
    ctx.stdout.write(f"{len(rules)} rules; `dockgen rule CODE` shows one.\n")
    return 0
