"""Lint a batch of files on several CPUs.

Starting a worker costs about as much as linting a few dozen files, so a batch is split only when it holds at
least :data:`FILES_PER_WORKER` files per worker and the machine has more than one CPU (``Linter.jobs`` or
``dockgen lint --jobs N`` sets the number; 1 keeps everything in this process). Workers are forked from this
process after the rules the batch needs are imported, so they share those pages and start at once; each lints
a contiguous slice of the batch and sends back the findings in the cache's compact form (a fix keeps its
description and safety; ``--fix`` and ``--diff`` never run here). Results come back in input order.
Where ``fork`` is not available the batch is linted in this process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dockgen.lint.engine import FileResult, Linter

#: A worker pays for itself from about this many files on.
FILES_PER_WORKER = 48

_LINTER: Linter | None = None


def worker_count(linter: Linter, files: int) -> int:
    if linter.jobs is not None:
        return max(1, min(linter.jobs, files))
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, files // FILES_PER_WORKER))


def lint_batch(linter: Linter, batch: Sequence[tuple[Path, bytes]]) -> list[FileResult]:
    """Lint ``(path, content)`` pairs, in order."""
    jobs = worker_count(linter, len(batch))
    if jobs < 2:
        return [linter.lint_bytes(path, data) for path, data in batch]
    import multiprocessing  # only for a batch worth splitting

    if "fork" not in multiprocessing.get_all_start_methods():
        return [linter.lint_bytes(path, data) for path, data in batch]
    _preload(linter, batch)
    global _LINTER
    _LINTER = linter
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
        _LINTER = None
    return [
        _result(linter, path, item)
        for part, piece in zip(parts, slices, strict=True)
        for (path, _), item in zip(piece, part, strict=True)
    ]


def _worker_signals() -> None:
    """Workers leave SIGINT to this process (it reports the interrupt) and die on SIGTERM: a worker must not
    run the handlers it inherited by forking (one raising inside the pool's locks deadlocks the pool)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _preload(linter: Linter, batch: Sequence[tuple[Path, bytes]]) -> None:
    """Import the rules enabled for the batch's configs once, before forking (the workers share them)."""
    seen: set[int] = set()
    for path, _ in batch:
        cfg = linter.config_for(path)
        if id(cfg) in seen:
            continue
        seen.add(id(cfg))
        for info in cfg.resolved(linter.ruleset).rules:
            linter.ruleset.instance(info.code)
    import dockgen.parse  # noqa: F401  (the parser, before forking)


def _lint_slice(piece: list[tuple[Path, bytes]]) -> list[tuple[bool, list[Any]]]:
    from dockgen.lint.cache import finding_to_json

    linter = _LINTER
    assert linter is not None
    out: list[tuple[bool, list[Any]]] = []
    for path, data in piece:
        result = linter.lint_bytes(path, data)
        out.append((result.parse_error, [finding_to_json(f) for f in result.findings]))
    return out


def _result(linter: Linter, path: Path, item: tuple[bool, list[Any]]) -> FileResult:
    from dockgen.lint.cache import finding_from_json
    from dockgen.lint.engine import FileResult

    parse_error, findings = item
    cfg = linter.config_for(path)
    return FileResult(
        path=str(path),
        findings=[finding_from_json(f) for f in findings],
        threshold=cfg.failure_threshold,
        parse_error=parse_error,
        hadolint=cfg.hadolint,
    )
