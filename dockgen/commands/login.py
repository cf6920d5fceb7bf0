"""``dockgen login``: verify registry credentials and store them like ``docker login`` does."""

from __future__ import annotations

import argparse
import getpass
import sys

from dockgen.commands._context import Context
from dockgen.errors import UsageError
from dockgen.reference import DOCKER_HUB, normalize_registry
from dockgen.registry import RegistryClient, credentials

NAME = "login"
HELP = "log in to a registry: check the credentials, then store them in the docker config (or its helper)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "registry", nargs="?", default=DOCKER_HUB, help="registry host[:port] (default: Docker Hub)"
    )
    parser.add_argument("-u", "--username", help="user name (required unless prompted on a terminal)")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password or token from standard input"
    )
    parser.add_argument("--insecure", action="store_true", help="allow plain HTTP / unverified TLS")
    parser.add_argument("--ca-bundle", metavar="PEM", help="verify TLS with this CA bundle")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        data = sys.stdin.read()
        password = data.rstrip("\r\n")
        if not password:
            raise UsageError(
                "login: --password-stdin got an empty password",
                hint="pipe the secret in: ... | dockgen login",
            )
        return password
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    raise UsageError(
        "login: no password given",
        hint="pass it on standard input with --password-stdin (never on the command line)",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    registry = normalize_registry(args.registry)
    username = args.username
    if not username:
        if args.password_stdin or not sys.stdin.isatty():
            raise UsageError(
                "login: --username is required with --password-stdin",
                hint="dockgen login REGISTRY -u USER --password-stdin",
            )
        username = input("Username: ").strip()
    password = _read_password(args)
    creds = credentials.Credentials(username=username, password=password, source="dockgen login")
    print(f"verifying credentials of {username} with {registry}...", file=ctx.stderr)
    with RegistryClient(
        registry, credentials=creds, insecure=True if args.insecure else None, ca_bundle=args.ca_bundle
    ) as client:
        needed = client.verify_credentials()
    where = credentials.store(registry, creds)
    if not needed:
        print(f"note: {registry} does not ask for credentials; stored them anyway", file=ctx.stderr)
    print(f"Login Succeeded: {username} at {registry} (stored in {where})", file=ctx.stdout)
    return 0
