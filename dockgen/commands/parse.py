"""``dockgen parse FILE [--json]``: show the IR of a Dockerfile."""

from __future__ import annotations

import argparse
import json
import sys

from dockgen.commands._context import Context
from dockgen.parse import parse_bytes, parse_file

NAME = "parse"
HELP = "Parse a Dockerfile and print its instructions (--json: the full IR)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="Dockerfile to parse ('-' for standard input)")
    parser.add_argument("--json", action="store_true", help="print the IR as JSON")


def run(args: argparse.Namespace, ctx: Context) -> int:
    df = parse_bytes(sys.stdin.buffer.read(), "<stdin>") if args.file == "-" else parse_file(args.file)
    if args.json:
        json.dump(df.to_dict(), ctx.stdout, indent=2, ensure_ascii=False)
        ctx.stdout.write("\n")
        return 0
    for d in df.directives:
        print(f"directive {d.name}={d.value}", file=ctx.stdout)
    for stage in df.stages:
        print(f"stage {stage.index} {stage.name or '-'} FROM {stage.base}", file=ctx.stdout)
    for ins in df.instructions:
        span = ins.span
        where = (
            f"{span.start_line}-{span.end_line}"
            if span and span.end_line != span.start_line
            else str(ins.line)
        )
        flags = " ".join(str(f) for f in ins.flags)
        if ins.pairs:
            body = " ".join(kv.key if kv.value is None else f"{kv.key}={kv.value}" for kv in ins.pairs)
        elif ins.sub is not None:
            body = f"{ins.sub.keyword} {json.dumps(list(ins.sub.args))}"
        else:
            body = json.dumps(list(ins.args))
        extra = f" heredocs={[h.name for h in ins.heredocs]}" if ins.heredocs else ""
        print(f"{where:>7}  {ins.keyword:<11} {flags + ' ' if flags else ''}{body}{extra}", file=ctx.stdout)
    return 0
