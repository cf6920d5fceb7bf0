"""``dockgen import FILE``: print a ``build_images.py`` declaring the image of an existing Dockerfile."""

from __future__ import annotations

import argparse
from pathlib import Path

from dockgen.cli import Context
from dockgen.errors import DockgenError

NAME = "import"
HELP = "print a build_images.py that declares an existing Dockerfile (for migrating a project)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dockerfile", metavar="FILE", help="the Dockerfile to import")
    parser.add_argument("--name", help="image name (default: from the file or directory name)")
    parser.add_argument(
        "--literal",
        action="store_true",
        help="keep every RUN a plain Run (default: recognised package installs become Apt/Apk/Pip/Npm helpers)",
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write to PATH instead of stdout (never overwrites)"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from dockgen.importer import to_python
    from dockgen.parse import parse_file

    df = parse_file(args.dockerfile)
    context = None if args.literal else Path(args.dockerfile).resolve().parent
    ignore = _project_dockerignore(Path(args.dockerfile))
    source = to_python(
        df,
        name=args.name,
        source=args.dockerfile,
        literal=args.literal,
        context_dir=context,
        dockerignore=ignore,
    )
    if args.output:
        out = Path(args.output)
        if out.exists():
            raise DockgenError(
                f"{out}: already exists; not overwriting", hint="choose another -o path or remove it"
            )
        try:
            out.write_text(source, encoding="utf-8")
        except OSError as exc:
            raise DockgenError(
                f"-o {out}: cannot write ({exc.strerror})", hint="choose a path in an existing directory"
            ) from None
        print(f"wrote {out}", file=ctx.stderr)
    else:
        ctx.stdout.write(source)
    return 0


def _project_dockerignore(dockerfile: Path) -> list[str]:
    """The patterns of the ignore file BuildKit would use for ``dockerfile``: ``<Dockerfile>.dockerignore``
    next to it, else the context's ``.dockerignore`` (the render that follows must keep excluding them)."""
    from dockgen.dockerignore import read_patterns

    for candidate in (
        dockerfile.with_name(dockerfile.name + ".dockerignore"),
        dockerfile.parent / ".dockerignore",
    ):
        try:
            data = candidate.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DockgenError(f"{candidate}: cannot read: {exc.strerror}") from None
        try:
            return read_patterns(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise DockgenError(
                f"{candidate}: not UTF-8 (byte {exc.start}); its patterns cannot be carried over",
                hint="save the file as UTF-8, then run the import again",
            ) from None
    return []
