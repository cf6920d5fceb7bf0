"""The ``dockgen`` argument parser: global options and one sub-parser per command module.

Only the command named on the command line is imported (``dockgen lint`` does not load the build engine);
``--help``, no command or an unknown one loads them all, so the help and the "invalid choice" list are whole.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from dockgen._static import TYPE_CHECKING
from dockgen.commands._context import DEFAULT_BUILD_FILE
from dockgen.errors import UsageError

if TYPE_CHECKING:
    from typing import NoReturn

    from dockgen.commands._context import CommandModule

__all__ = ["build_parser"]


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


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: ``COLUMNS`` when set, else the terminal's width, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized as argparse sizes it but without importing :mod:`shutil` (and the
    compression modules it brings) on every run: argparse builds a formatter for each argument it adds."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, width or _terminal_columns() - 2)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would sys.exit(2) with its own text
        raise UsageError(f"{self.prog}: {message}", hint=f"run `{self.prog} --help`")


def build_parser(
    prog: str = "dockgen", argv: Sequence[str] | None = None
) -> tuple[argparse.ArgumentParser, dict[str, CommandModule]]:
    from dockgen._version import __version__

    parser = _Parser(
        formatter_class=_Formatter,
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
    common = _Parser(add_help=False, formatter_class=_Formatter)
    common.add_argument("-f", "--file", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    word = None
    if argv is not None and "-h" not in argv and "--help" not in argv:
        word = _command_word(argv)
    commands = _command_modules(word)
    for name, module in commands.items():
        p = sub.add_parser(
            name, help=module.HELP, description=module.HELP, parents=[common], formatter_class=_Formatter
        )
        module.configure(p)
    return parser, commands
