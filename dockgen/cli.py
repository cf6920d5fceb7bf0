"""Command-line entry points: ``dockgen ...``, ``python -m dockgen`` and ``python build_images.py ...``.

``main(argv)`` returns an exit code and never lets a traceback reach the user for bad input:

* 0 success / clean, 1 findings or a user error, 2 usage error or unparseable input,
* 3 internal bug (with a short traceback and a request to report it), 130 interrupted (SIGINT), 143 terminated
  (SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from dockgen._static import TYPE_CHECKING
from dockgen.commands._context import (
    DEFAULT_BUILD_FILE,
    Context,
    _Collected,
    _collecting,
    load_build_file,
)
from dockgen.commands._parser import build_parser
from dockgen.errors import DockgenError, UsageError

if TYPE_CHECKING:
    from typing import Any

    from dockgen.commands._context import CommandModule

__all__ = [
    "DEFAULT_BUILD_FILE",
    "Context",
    "build_parser",
    "entry",
    "guarded",
    "load_build_file",
    "main",
]


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
    command = commands[args.command]
    code = command.run(args, ctx)
    global _ran
    _ran = command
    return code


#: The command module that ran to completion in this process (see :func:`entry`).
_ran: CommandModule | None = None


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
    """Console-script entry point.

    A command that declares ``QUICK_EXIT = True`` (``lint``: everything it writes is written and closed when
    it returns) ends the process without the interpreter's teardown, which frees every module and object one
    by one and costs as much as linting a file; output is flushed first. Any other command, a failed flush, a
    thread still running, or a tracer, profiler or coverage tool watching the process (it writes its data at
    exit) exits normally."""
    code = main()
    if getattr(_ran, "QUICK_EXIT", False) and _threading_idle() and not _observed():
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


def _observed() -> bool:
    """A tracer or profiler is installed (coverage, cProfile, a debugger), which expects a normal exit."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+: coverage may use sys.monitoring instead
    return monitoring is not None and any(monitoring.get_tool(tool) for tool in range(6))


def _threading_idle() -> bool:
    """No thread but the main one is running (threading is not even imported when none was started)."""
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


RunCommand = Callable[[argparse.Namespace, Context], int]
