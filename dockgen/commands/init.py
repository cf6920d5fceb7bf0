"""``dockgen init [DIR]``: detect the project and write a ``build_images.py`` (plus optional tasks.py or
noxfile.py and a .pre-commit-config.yaml), then render the Dockerfile and .dockerignore. Never overwrites a
file: one that exists is kept and named."""

from __future__ import annotations

import argparse
from pathlib import Path

from dockgen.commands._context import Context
from dockgen.errors import DockgenError, UsageError
from dockgen.init_project import DEFAULT_BASE, ECOSYSTEMS, InitOptions, plan_files

NAME = "init"
HELP = "detect the project (Python, Node, Go, Rust, a Dockerfile) and write a build_images.py for it"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", default=".", help="the project directory (default: .)")
    parser.add_argument(
        "--base",
        default=DEFAULT_BASE,
        metavar="IMAGE",
        help=f"base image of the stages (default {DEFAULT_BASE}: Debian's packaged toolchains; "
        "an official image such as python:3.12-slim or golang:1.22 brings its own)",
    )
    parser.add_argument("--name", help="image name (default: the project's name or directory)")
    parser.add_argument("--registry", help="registry host[:port] to push to")
    parser.add_argument("--namespace", help="namespace / team path in the registry")
    parser.add_argument("--port", type=int, help="the port the app listens on (default per ecosystem)")
    parser.add_argument("--ecosystem", choices=ECOSYSTEMS, help="skip detection")
    parser.add_argument(
        "--tasks", choices=("invoke", "nox", "none"), default="none", help="also write tasks.py or noxfile.py"
    )
    parser.add_argument("--no-pre-commit", action="store_true", help="do not write .pre-commit-config.yaml")
    parser.add_argument("--no-render", action="store_true", help="do not render Dockerfile and .dockerignore")
    parser.add_argument("--dry-run", action="store_true", help="print the build_images.py, write nothing")


def run(args: argparse.Namespace, ctx: Context) -> int:
    root = Path(args.directory)
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory", hint="pass the project directory")
    if args.port is not None and not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: must be between 1 and 65535")
    options = InitOptions(
        name=args.name,
        base=args.base,
        registry=args.registry,
        namespace=args.namespace,
        port=args.port,
        tasks=args.tasks,
        pre_commit=not args.no_pre_commit,
        ecosystem=args.ecosystem,
    )
    detected, files = plan_files(root, options)
    print(f"detected a {detected.ecosystem} project ({', '.join(detected.evidence)})", file=ctx.stderr)
    if args.dry_run:
        ctx.stdout.write(files["build_images.py"])
        return 0
    for relative, text in files.items():
        path = root / relative
        if path.exists():
            print(f"kept {path} (exists; not overwritten)", file=ctx.stderr)
            continue
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise DockgenError(f"{path}: cannot write it: {exc.strerror or exc}") from None
        print(f"wrote {path}", file=ctx.stderr)
    if not args.no_render:
        _render_missing(root / "build_images.py", ctx)
    if detected.ecosystem == "dockerfile":
        print(
            "note: the imported declaration keeps what the Dockerfile does (its base, user and pins); "
            "`python build_images.py lint` shows what to change",
            file=ctx.stderr,
        )
    print("next: python build_images.py lint && python build_images.py test --build", file=ctx.stderr)
    return 0


def _render_missing(build_file: Path, ctx: Context) -> None:
    """Write the rendered Dockerfile and .dockerignore of each image where no such file exists yet."""
    from dockgen.commands._context import load_build_file
    from dockgen.commands.render import planned_outputs
    from dockgen.models import validate_images

    images: list[object] = list(validate_images(load_build_file(build_file), source=str(build_file)))
    for output in planned_outputs(images, build_file.parent, build_file.name):
        if output.path.exists():
            print(
                f"kept {output.path}: `python build_images.py render` would replace it (review the diff first)",
                file=ctx.stderr,
            )
            continue
        output.path.parent.mkdir(parents=True, exist_ok=True)
        output.path.write_text(output.text, encoding="utf-8")
        print(f"wrote {output.path}", file=ctx.stderr)
