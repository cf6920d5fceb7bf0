"""SIGINT and SIGTERM, handled alike: stop promptly, end child processes, clean up, say so, exit 128+N.

:func:`handle_signals` (used by :func:`dockgen.cli.main`) turns SIGTERM -- a cancelled CI job, ``timeout``,
``docker stop`` -- into :class:`Interrupted`, a :class:`KeyboardInterrupt`, so every ``finally`` block and
rollback that runs on Ctrl-C runs on SIGTERM too. Long-running children (``docker buildx build``) are
registered with :func:`child` and ended by :func:`end_children` when the run is interrupted, whether the
signal reached the whole process group (a terminal's Ctrl-C) or only dockgen's own process.
"""

from __future__ import annotations

import _thread
import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

from dockgen._static import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess
    from typing import Any

__all__ = ["Interrupted", "child", "end_children", "exit_code", "handle_signals", "signal_name"]


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (``signum``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def exit_code(exc: BaseException) -> int:
    """128 + the signal number: 143 for SIGTERM, 130 for SIGINT (and any other KeyboardInterrupt)."""
    return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)


def interrupt_name(exc: BaseException) -> str:
    return signal_name(exc.signum) if isinstance(exc, Interrupted) else "SIGINT"


@contextlib.contextmanager
def handle_signals() -> Iterator[None]:
    """While active (main thread only), SIGTERM raises :class:`Interrupted` like SIGINT raises
    KeyboardInterrupt. Elsewhere (a worker thread) it does nothing."""

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        raise Interrupted(signum)

    try:
        previous: Any = signal.signal(signal.SIGTERM, on_signal)
    except ValueError:  # not the main thread (only it may set handlers)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_children: set[subprocess.Popen[Any]] = set()
# _thread, not threading: this module is on every command's start-up path
_lock = _thread.allocate_lock()
_ending = False  # set by end_children until reset()


@contextlib.contextmanager
def child(proc: subprocess.Popen[Any]) -> Iterator[subprocess.Popen[Any]]:
    """Register ``proc`` for :func:`end_children` while the block runs."""
    with _lock:
        _children.add(proc)
        ending = _ending
    if ending:  # started while the run is being stopped
        _terminate(proc)
    try:
        yield proc
    finally:
        with _lock:
            _children.discard(proc)


def _terminate(proc: subprocess.Popen[Any]) -> None:
    with contextlib.suppress(OSError):
        proc.terminate()


def end_children(grace: float = 5.0) -> None:
    """SIGTERM every registered child, then SIGKILL the ones still running after ``grace`` seconds; children
    registered afterwards are ended as they start (until :func:`reset`)."""
    global _ending
    import subprocess

    with _lock:
        _ending = True
        procs = list(_children)
    for proc in procs:
        _terminate(proc)
    for proc in procs:
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                proc.kill()
        except KeyboardInterrupt:  # a second signal: stop waiting, kill outright
            for p in procs:
                with contextlib.suppress(OSError):
                    p.kill()
            raise


def reset() -> None:
    """Allow children again (a new run in the same process, e.g. tests)."""
    global _ending
    with _lock:
        _ending = False
