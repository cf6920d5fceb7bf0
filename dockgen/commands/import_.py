"""``dockgen import FILE``: print a ``build_images.py`` declaring the image of an existing Dockerfile."""

from __future__ import annotations

import argparse
from pathlib import Path

from dockgen.commands._context import Context
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
        "--optimize",
        action="store_true",
        help="also apply the optimizer's unsafe rewrites first: split a single stage that compiles into a builder "
        "and a runtime stage (DG017), remove build packages with their dependencies (DG055), use the base image's "
        "official -slim variant (DG056)",
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write to PATH instead of stdout (never overwrites)"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from dockgen.importer import to_python
    from dockgen.parse import parse_file

    df = parse_file(args.dockerfile)
    _require_utf8(Path(args.dockerfile))
    context = None if args.literal else Path(args.dockerfile).resolve().parent
    if args.optimize and args.literal:
        raise DockgenError("--optimize and --literal exclude each other", hint="drop one of them")
    ignore = _project_dockerignore(Path(args.dockerfile))
    source = to_python(
        df,
        name=args.name,
        source=args.dockerfile,
        literal=args.literal,
        context_dir=context,
        dockerignore=ignore,
        optimize=args.optimize,
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


def _require_utf8(path: Path) -> None:
    """The declarations render UTF-8 Dockerfiles: a file in another encoding (latin-1) must be converted
    first, or its bytes would change meaning (they used to crash render/build with an internal error)."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DockgenError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); dockgen writes UTF-8 Dockerfiles, so the "
            "import would change what this line means",
            hint=f"convert it first, e.g. `iconv -f latin1 -t utf-8 {path} > {path}.utf8 && mv {path}.utf8 {path}`",
        ) from None
