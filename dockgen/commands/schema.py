"""``dockgen schema``: print the JSON Schema of the image declarations."""

from __future__ import annotations

import argparse
from pathlib import Path

from dockgen.commands._context import Context
from dockgen.errors import DockgenError, UsageError

NAME = "schema"
HELP = "print the JSON Schema of the image declarations (for editors and JSON/YAML validation)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE instead of stdout")
    parser.add_argument("--indent", type=int, default=2, help="JSON indentation (default 2)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from dockgen.schema import schema_json

    if args.indent < 0:
        raise UsageError(f"--indent {args.indent}: must be 0 or more", hint="e.g. --indent 2")
    text = schema_json(indent=args.indent)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DockgenError(
                f"-o {args.output}: cannot write ({exc.strerror})", hint="choose a writable file path"
            ) from None
        print(f"wrote {args.output}", file=ctx.stderr)
    else:
        ctx.stdout.write(text)
    return 0
