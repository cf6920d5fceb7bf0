"""``dockgen schema``: print the JSON Schema of the image declarations."""

from __future__ import annotations

import argparse
from pathlib import Path

from dockgen.cli import Context

NAME = "schema"
HELP = "print the JSON Schema of the image declarations (for editors and JSON/YAML validation)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE instead of stdout")
    parser.add_argument("--indent", type=int, default=2, help="JSON indentation (default 2)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from dockgen.schema import schema_json

    text = schema_json(indent=args.indent)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=ctx.stderr)
    else:
        ctx.stdout.write(text)
    return 0
