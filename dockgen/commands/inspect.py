"""``dockgen inspect``: tags, platforms, layers, labels, attestations and referrers of an image, from its registry."""

from __future__ import annotations

import argparse
import json

from dockgen.commands._context import Context
from dockgen.registry import RegistryClient, parse_reference
from dockgen.registry.inspect import inspect_image, render_text

NAME = "inspect"
HELP = "show an image as its registry has it: tags, per-platform digests, layers, labels, attestations, referrers"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "reference", metavar="REF", help="image reference, e.g. registry.example.com/team/app:1.0"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--no-referrers", action="store_true", help="skip the referrers lookups (faster)")
    parser.add_argument("--insecure", action="store_true", help="allow plain HTTP / unverified TLS")
    parser.add_argument("--ca-bundle", metavar="PEM", help="verify TLS with this CA bundle")


def run(args: argparse.Namespace, ctx: Context) -> int:
    ref = parse_reference(args.reference)
    with RegistryClient.for_reference(
        ref, insecure=True if args.insecure else None, ca_bundle=args.ca_bundle
    ) as client:
        info = inspect_image(client, ref, with_referrers=not args.no_referrers)
    if args.json:
        print(json.dumps(info.to_json(), indent=2, sort_keys=True), file=ctx.stdout)
    else:
        print(render_text(info), file=ctx.stdout)
    return 0
