"""Output formats for lint reports, one module per format, discovered by walking this package.

A format module defines ``NAME`` (the ``--format`` value), ``HELP`` and
``render(report: LintReport, opts: FormatOptions) -> str``.
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from pathlib import Path

from dockgen._record import record
from dockgen._static import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Protocol, TextIO

    from dockgen.lint.engine import LintReport

    class Formatter(Protocol):
        """What a module of ``dockgen.lint.formatters`` provides (a name for type checkers only)."""

        NAME: str
        HELP: str

        def render(self, report: LintReport, opts: FormatOptions) -> str: ...


@record(frozen=True)
class FormatOptions:
    """What a formatter may need beyond the report."""

    color: bool = False
    unsafe_fixes: bool = False  # --unsafe-fixes given: unsafe fixes count as fixable
    fixing: bool = False  # --fix was given (the summary says what was fixed)
    base_dir: Path | None = None  # paths in machine formats are made relative to this (default: cwd)
    statistics: bool = False  # text: a count per rule instead of one line per finding
    show_fixes: bool = False  # text: list the fixes applied (with --fix) or available
    show_source: bool = False  # text: the source line under each finding


def formatter_names() -> list[str]:
    """The ``--format`` values, without importing the formatters (a format's module is named after it)."""
    here = os.path.dirname(__file__)
    return sorted(n[:-3] for n in os.listdir(here) if n.endswith(".py") and not n.startswith("_"))


def formatter(name: str) -> Formatter:
    """The formatter of ``--format name`` (imports only that module)."""
    module = importlib.import_module(f"{__name__}.{name}")
    return module


@cache
def formatters() -> dict[str, Formatter]:
    import pkgutil

    import dockgen.lint.formatters as pkg

    found: dict[str, Formatter] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        name = getattr(module, "NAME", None)
        if isinstance(name, str):
            found[name] = module
    return found


def use_color(stream: TextIO) -> bool:
    """Colour when writing to a terminal; ``NO_COLOR`` (and ``--no-color``) disables, ``FORCE_COLOR`` forces."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def display_path(path: str, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default cwd) in POSIX form when it lies below it; else as given."""
    if "#" in path or path.startswith("<"):
        return path
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to((base or Path.cwd()).resolve()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix()
