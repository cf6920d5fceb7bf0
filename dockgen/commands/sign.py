"""``dockgen sign``: sign an image with cosign, by digest (a tag is resolved through the registry first)."""

from __future__ import annotations

import argparse
import json

from dockgen.commands._context import Context
from dockgen.errors import UsageError
from dockgen.lifecycle.sign import sign_image

NAME = "sign"
HELP = "sign an image with cosign, always by digest (COSIGN_PASSWORD is read from the environment)"


def _annotation(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise UsageError(f"annotation {text!r} must be KEY=VALUE")
    return key, value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("references", metavar="REF", nargs="+", help="image references (tag or digest)")
    parser.add_argument(
        "--key", required=True, help="cosign private key file or KMS URI (awskms://, gcpkms://...)"
    )
    parser.add_argument("-a", "--annotation", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--no-tlog-upload",
        action="store_true",
        help="do not upload to the public transparency log (private images)",
    )
    parser.add_argument("--insecure", action="store_true", help="plain HTTP / unverified TLS registries")
    parser.add_argument("--json", action="store_true", help="print what was signed as JSON")


def run(args: argparse.Namespace, ctx: Context) -> int:
    annotations = dict(_annotation(a) for a in args.annotation)
    signed = []
    for ref in args.references:
        result = sign_image(
            ref, args.key, annotations=annotations, tlog_upload=not args.no_tlog_upload,
            insecure=True if args.insecure else None,
        )  # fmt: skip
        signed.append({"reference": ref, "signed": result.reference, "digest": result.digest})
        if not args.json:
            print(f"signed {result.reference}", file=ctx.stdout)
    if args.json:
        print(json.dumps(signed, indent=2), file=ctx.stdout)
    return 0
