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
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from dockgen.commands._context import (
    DEFAULT_BUILD_FILE,
    CommandModule,
    Context,
    _Collected,
    _collecting,
    load_build_file,
)
from dockgen.errors import DockgenError, UsageError

__all__ = [
    "DEFAULT_BUILD_FILE",
    "CommandModule",
    "Context",
    "build_parser",
    "entry",
    "guarded",
    "load_build_file",
    "main",
]


def _command_modules(only: str | None = None) -> dict[str, CommandModule]:
    """Command modules by command name. With ``only`` (the command on the command line), just that module is
    imported when it exists, so ``dockgen lint`` does not pay for importing the build engine."""
    import dockgen.commands as pkg

    if only is not None and only.replace("-", "_").isidentifier() and not only.startswith("_"):
        module_name = only.replace("-", "_")
        for candidate in (module_name, module_name + "_"):
            if importlib.util.find_spec(f"dockgen.commands.{candidate}") is not None:
                return _named([importlib.import_module(f"dockgen.commands.{candidate}")])
    import pkgutil

    names = sorted(i.name for i in pkgutil.iter_modules(pkg.__path__) if not i.name.startswith("_"))
    return _named([importlib.import_module(f"dockgen.commands.{name}") for name in names])


def _named(modules: list[ModuleType]) -> dict[str, CommandModule]:
    found: dict[str, CommandModule] = {}
    for module in modules:
        name = getattr(module, "NAME", None)
        if isinstance(name, str):
            found[name] = module
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
    from dockgen._version import __version__

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
    args = list(argv)
    return guarded(lambda: _main(images, args, prog))


def guarded(command: Callable[[], int]) -> int:
    """Run ``command`` the way every dockgen entry point does: signals handled, a closed stdout tolerated, and
    the exit code for each way out -- 130/143 interrupted, a :class:`DockgenError`'s own code with its message
    (never a traceback), 3 with a short traceback for an internal bug."""
    from dockgen.interrupts import exit_code, handle_signals, interrupt_name

    try:
        with handle_signals(), _no_broken_pipe():
            return command()
    except KeyboardInterrupt as exc:  # SIGINT, and SIGTERM through handle_signals
        print(f"interrupted ({interrupt_name(exc)})", file=sys.stderr)
        return exit_code(exc)
    except DockgenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception:  # an internal bug: say so plainly
        print("internal error (a bug in dockgen; please report it with the text below):", file=sys.stderr)
        import traceback

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
