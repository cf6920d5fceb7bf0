"""``dockgen verify``: verify an image's cosign signature, by digest."""

from __future__ import annotations

import argparse
import json

from dockgen.commands._context import Context
from dockgen.lifecycle.sign import SignError, verify_image

NAME = "verify"
HELP = "verify an image's cosign signature against a public key (or KMS URI); exit 1 when it does not verify"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("references", metavar="REF", nargs="+", help="image references (tag or digest)")
    parser.add_argument("--key", required=True, help="cosign public key file or KMS URI")
    parser.add_argument(
        "--insecure-ignore-tlog", action="store_true", help="for images signed with --no-tlog-upload"
    )
    parser.add_argument("--insecure", action="store_true", help="plain HTTP / unverified TLS registries")
    parser.add_argument("--json", action="store_true", help="print the verified payloads as JSON")


def run(args: argparse.Namespace, ctx: Context) -> int:
    report = []
    failed = False
    for ref in args.references:
        try:
            result = verify_image(
                ref, args.key, insecure=True if args.insecure else None, ignore_tlog=args.insecure_ignore_tlog
            )
        except SignError as exc:
            failed = True
            report.append({"reference": ref, "verified": False, "error": exc.message})
            print(f"error: {exc}", file=ctx.stderr)
            continue
        report.append(
            {"reference": ref, "verified": True, "digest": result.digest, "signatures": result.signatures}
        )
        if not args.json:
            print(f"verified {result.reference} ({len(result.signatures)} signature(s))", file=ctx.stdout)
    if args.json:
        print(json.dumps(report, indent=2), file=ctx.stdout)
    return 1 if failed else 0
