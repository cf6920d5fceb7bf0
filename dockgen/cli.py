"""Command-line entry points: ``dockgen ...``, ``python -m dockgen`` and ``python build_images.py ...``.

``main(argv)`` returns an exit code and never lets a traceback reach the user for bad input:

* 0 success / clean, 1 findings or a user error, 2 usage error or unparseable input,
* 3 internal bug (with a short traceback and a request to report it), 130 interrupted (SIGINT), 143 terminated
  (SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import runpy
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TextIO

from dockgen.errors import DeclarationError, DockgenError, UsageError

DEFAULT_BUILD_FILE = "build_images.py"


class CommandModule(Protocol):
    NAME: str
    HELP: str

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, ctx: Context) -> int: ...


class _Collected(BaseException):
    """Raised inside ``dockgen.main(images)`` while the CLI is loading a build file."""

    def __init__(self, images: Sequence[Any]) -> None:
        super().__init__()
        self.images = list(images)


_collecting: list[bool] = []


@dataclass
class Context:
    """What every command gets: the declared images (loaded on first use) and the streams."""

    build_file: Path
    given_images: list[Any] | None = None
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    _images: list[Any] | None = None

    def images(self) -> list[Any]:
        """The images declared in the build file, validated. Raises DockgenError when there are none."""
        if self._images is None:
            raw = self.given_images if self.given_images is not None else load_build_file(self.build_file)
            self._images = _validate_images(raw, str(self.build_file))
        return self._images

    @property
    def project_dir(self) -> Path:
        return self.build_file.resolve().parent


def _validate_images(raw: Sequence[Any], where: str) -> list[Any]:
    from dockgen.models import validate_images

    return list(validate_images(raw, source=where))


def load_build_file(path: Path) -> list[Any]:
    """Run a ``build_images.py`` and return the images it declares.

    The file either calls ``dockgen.main(images)`` (usually under ``if __name__ == "__main__":``) or defines a
    module-level ``images`` (or ``IMAGES``) list.
    """
    if not path.is_file():
        raise UsageError(
            f"{path}: no build file here",
            hint=f"create {DEFAULT_BUILD_FILE} declaring your images (see README), or pass -f/--file PATH",
        )
    _collecting.append(True)
    old_path = list(sys.path)
    old_cwd = os.getcwd()  # a build file that calls os.chdir must not move where dockgen reads and writes
    sys.path.insert(0, str(path.resolve().parent))
    try:
        namespace = runpy.run_path(str(path), run_name="__main__")
    except _Collected as collected:
        return collected.images
    except DockgenError:
        raise
    except SystemExit as exc:
        raise DeclarationError(_exit_message(path, exc.code)) from None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the user's own code failed: show where, not our stack
        tb = traceback.extract_tb(exc.__traceback__)
        frames = [f for f in tb if Path(f.filename).resolve() == path.resolve()]
        loc = f"{path}:{frames[-1].lineno}" if frames else str(path)
        raise DeclarationError(
            f"{loc}: {type(exc).__name__}: {exc}",
            hint="fix the error in your build file; run it with python to see the full traceback",
        ) from None
    finally:
        _collecting.pop()
        sys.path[:] = old_path
        os.chdir(old_cwd)
    for name in ("images", "IMAGES"):
        if name in namespace:
            value = namespace[name]
            return list(value) if isinstance(value, list | tuple) else [value]
    raise DeclarationError(
        f"{path}: declares no images",
        hint="end the file with `dockgen.main(images)` or define a module-level `images = [...]` list",
    )


def _exit_message(path: Path, code: object) -> str:
    """What ``sys.exit(code)`` in a build file means, said before "before declaring images"."""
    if isinstance(code, str):  # sys.exit("message") prints the message and exits 1
        return f"{path}: exited before declaring images: {code}"
    if code is None or code == 0:
        return f"{path}: exited (status 0) before declaring images"
    return f"{path}: exited with status {code} before declaring images"


def _command_modules(only: str | None = None) -> dict[str, CommandModule]:
    """Command modules by command name. With ``only`` (the command on the command line), just that module is
    imported when it exists, so ``dockgen lint`` does not pay for importing the build engine."""
    import dockgen.commands as pkg

    names = sorted(i.name for i in pkgutil.iter_modules(pkg.__path__) if not i.name.startswith("_"))
    if only is not None:
        module_name = only.replace("-", "_")
        for candidate in (module_name, module_name + "_"):
            if candidate in names:
                names = [candidate]
                break
    found: dict[str, CommandModule] = {}
    for module_name in names:
        module: ModuleType = importlib.import_module(f"dockgen.commands.{module_name}")
        name = getattr(module, "NAME", None)
        if isinstance(name, str):
            found[name] = module  # type: ignore[assignment,unused-ignore]
    return found


def _command_word(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (skipping global options), if any."""
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word in ("-f", "--file"):
            skip = True
            continue
        if word.startswith("-"):
            continue
        return word
    return None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would sys.exit(2) with its own text
        raise UsageError(f"{self.prog}: {message}", hint=f"run `{self.prog} --help`")


def build_parser(
    prog: str = "dockgen", argv: Sequence[str] | None = None
) -> tuple[argparse.ArgumentParser, dict[str, CommandModule]]:
    from dockgen import __version__

    parser = _Parser(
        prog=prog,
        description="Dockerfile-as-code: declare, lint, fix, render, build, tag, push and prune images.",
    )
    parser.add_argument("--version", action="version", version=f"dockgen {__version__}")
    parser.add_argument(
        "-f",
        "--file",
        default=os.environ.get("DOCKGEN_FILE", DEFAULT_BUILD_FILE),
        help=f"build file declaring the images (default: ./{DEFAULT_BUILD_FILE})",
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the output")
    # The global options are accepted after the command too (`dockgen lint --no-color`); SUPPRESS keeps a
    # command's parser from overwriting a value given before the command.
    common = _Parser(add_help=False)
    common.add_argument("-f", "--file", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    word = None
    if argv is not None and "-h" not in argv and "--help" not in argv:
        word = _command_word(argv)
    commands = _command_modules(word)
    for name, module in commands.items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP, parents=[common])
        module.configure(p)
    return parser, commands


@contextlib.contextmanager
def _no_broken_pipe() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(
    images: Sequence[Any] | None = None, argv: Sequence[str] | None = None, *, prog: str | None = None
) -> int:
    """Run a dockgen command and return its exit code.

    From a ``build_images.py``: ``raise SystemExit(dockgen.main(images))`` (or just ``dockgen.main(images)``,
    whose return value is also used as the process exit code when run as a script).
    """
    if _collecting and images is not None:
        raise _Collected(images)
    if argv is None:
        argv = sys.argv[1:]
    if prog is None:
        prog = "dockgen" if images is None else os.path.basename(sys.argv[0] or "build_images.py")
    from dockgen.interrupts import exit_code, handle_signals, interrupt_name

    try:
        with handle_signals(), _no_broken_pipe():
            return _main(images, list(argv), prog)
    except KeyboardInterrupt as exc:  # SIGINT, and SIGTERM through handle_signals
        print(f"interrupted ({interrupt_name(exc)})", file=sys.stderr)
        return exit_code(exc)
    except DockgenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception:  # an internal bug: say so plainly
        print("internal error (a bug in dockgen; please report it with the text below):", file=sys.stderr)
        traceback.print_exc(limit=6, file=sys.stderr)
        return 3


def _main(images: Sequence[Any] | None, argv: list[str], prog: str) -> int:
    parser, commands = build_parser(prog, argv)
    args, extra = parser.parse_known_args(argv)
    if extra:
        where = f"{prog} {args.command}" if args.command else prog
        raise UsageError(f"{where}: unrecognized arguments: {' '.join(extra)}", hint=f"run `{where} --help`")
    if args.command is None:
        parser.print_help(sys.stdout)
        return 0 if not argv else 2
    if args.no_color:
        os.environ["NO_COLOR"] = "1"
    build_file = Path(args.file)
    if images is not None:
        build_file = _script_path() or build_file
    ctx = Context(build_file=build_file, given_images=list(images) if images is not None else None)
    return commands[args.command].run(args, ctx)


def _script_path() -> Path | None:
    """The build file run as ``python build_images.py``: absolute (``__main__.__file__``), so an
    ``os.chdir`` in it before ``dockgen.main(images)`` does not move where outputs go."""
    if not sys.argv or not sys.argv[0].endswith(".py"):
        return None
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if isinstance(main_file, str) and os.path.basename(main_file) == os.path.basename(sys.argv[0]):
        return Path(os.path.abspath(main_file))
    return Path(sys.argv[0])


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


RunCommand = Callable[[argparse.Namespace, Context], int]
