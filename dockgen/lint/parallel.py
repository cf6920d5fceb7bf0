"""Lint a batch of files on several CPUs.

Starting a worker costs about as much as linting a few dozen files, so a batch is split only when it holds at
least :data:`FILES_PER_WORKER` files per worker and the machine has more than one CPU (``Linter.jobs`` or
``dockgen lint --jobs N`` sets the number; 1 keeps everything in this process). Workers are forked from this
process after the caller imported what the batch needs (the rules), so they share those pages and start at
once; each lints a contiguous slice of the batch with the function it was given and sends back its compact,
picklable outcome. Outcomes come back in input order. Where ``fork`` is not available the batch is linted in
this process.

This module knows nothing of the lint engine: the engine hands it a function, so the dependency runs one way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from dockgen._static import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    #: ``(path, content)``: one file of a batch.
    Item = tuple[Path, bytes]
    #: What a worker sends back for one file: whether it failed to parse, and its findings in the cache's
    #: compact JSON form.
    Outcome = tuple[bool, list[Any]]

#: A worker pays for itself from about this many files on.
FILES_PER_WORKER = 48


_LINT_ONE: Callable[[Path, bytes], Outcome] | None = None


def worker_count(jobs: int | None, files: int) -> int:
    """How many processes lint ``files`` files: ``jobs`` when set, else one per CPU that has enough work."""
    if jobs is not None:
        return max(1, min(jobs, files))
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, files // FILES_PER_WORKER))


def lint_in_workers(
    lint_one: Callable[[Path, bytes], Outcome], batch: Sequence[Item], jobs: int
) -> list[Outcome]:
    """``lint_one`` of every item, in order, spread over ``jobs`` forked processes."""
    import multiprocessing  # only for a batch worth splitting

    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [lint_one(path, data) for path, data in batch]
    global _LINT_ONE
    _LINT_ONE = lint_one
    try:
        size = -(-len(batch) // jobs)
        slices = [list(batch[i : i + size]) for i in range(0, len(batch), size)]
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)
        try:
            parts = pool.map(_lint_slice, slices, chunksize=1)
            pool.close()  # let the workers finish and exit by themselves
        except BaseException:
            pool.terminate()  # interrupted: end the workers (they take the default SIGTERM action)
            raise
        finally:
            pool.join()
    finally:
        _LINT_ONE = None
    return [outcome for part in parts for outcome in part]


def _worker_signals() -> None:
    """Workers leave SIGINT to this process (it reports the interrupt) and die on SIGTERM: a worker must not
    run the handlers it inherited by forking (one raising inside the pool's locks deadlocks the pool)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _lint_slice(piece: list[Item]) -> list[Outcome]:
    lint_one = _LINT_ONE
    assert lint_one is not None
    return [lint_one(path, data) for path, data in piece]
