"""``dockgen scan``: scan an image with Trivy and fail on a severity threshold (table, JSON or SARIF)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dockgen.commands._context import Context
from dockgen.errors import UsageError
from dockgen.lifecycle.scan import SEVERITIES, load_report, scan_image, to_sarif

NAME = "scan"
HELP = "scan an image for vulnerabilities with Trivy; exit 1 when one reaches the severity threshold"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reference", metavar="REF", nargs="?", help="image reference to scan")
    parser.add_argument(
        "--severity",
        "--threshold",
        dest="threshold",
        default="HIGH",
        type=str.upper,
        choices=SEVERITIES,
        help="fail when a vulnerability of this severity or higher is found (default: HIGH)",
    )
    parser.add_argument("--ignore-unfixed", action="store_true", help="ignore vulnerabilities without a fix")
    parser.add_argument("--format", choices=("table", "json", "sarif"), default="table", help="output format")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the output to FILE instead of stdout")
    parser.add_argument(
        "--top", type=int, default=10, help="vulnerabilities listed in the table (default 10)"
    )
    parser.add_argument(
        "--report", metavar="FILE", help="gate an existing Trivy JSON report instead of running trivy"
    )
    parser.add_argument("--insecure", action="store_true", help="let trivy use plain HTTP / unverified TLS")


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.report:
        result = load_report(Path(args.report), threshold=args.threshold, ignore_unfixed=args.ignore_unfixed)
    elif args.reference:
        print(f"scanning {args.reference} with trivy ...", file=ctx.stderr)
        result = scan_image(args.reference, args.threshold, args.ignore_unfixed, insecure=args.insecure)
    else:
        raise UsageError(
            "give an image reference to scan (or --report FILE)", hint="dockgen scan registry/app:1.0"
        )
    if args.format == "json":
        text = json.dumps(result.to_json(), indent=2)
    elif args.format == "sarif":
        text = json.dumps(to_sarif(result), indent=2)
    else:
        text = result.summary_table(args.top)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(result.summary_table(0).splitlines()[1], file=ctx.stderr)
    else:
        print(text, file=ctx.stdout)
    return 1 if result.failed else 0
