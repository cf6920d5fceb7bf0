"""``dockgen rule DG001``: print one rule's documentation (text, or ``--format json``).

The argument may be a code, a rule name, or another tool's id (``DL3008``, ``JSONArgsRecommended``); an id
that several rules share prints all of them.
"""

from __future__ import annotations

import argparse
import json
from difflib import get_close_matches

from dockgen.commands._context import Context
from dockgen.errors import UsageError
from dockgen.lint.docs import rule_metadata, rule_text
from dockgen.lint.registry import default_ruleset

NAME = "rule"
HELP = "show one lint rule's documentation (code, name or equivalent id like DL3008)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", metavar="CODE", help="DG001, a rule name, or an equivalent id (DL3008)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (text)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    rs = default_ruleset()
    found = rs.resolve(args.rule) if args.rule.upper() != "ALL" else None
    if not found:
        names = [r.code for r in rs.infos] + [r.name for r in rs.infos]
        close = get_close_matches(args.rule, names, n=3)
        raise UsageError(
            f"no rule {args.rule!r}",
            hint=(f"did you mean {', '.join(close)}? " if close else "") + "`dockgen rules` lists them all",
        )
    if args.format == "json":
        data = [rule_metadata(rs.instance(r.code)) for r in found]
        ctx.stdout.write(json.dumps(data[0] if len(data) == 1 else data, indent=2) + "\n")
    else:
        ctx.stdout.write("\n".join(rule_text(rs.instance(r.code)) for r in found))
    return 0
