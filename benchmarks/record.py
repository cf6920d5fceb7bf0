"""Write a benchmark's results file, ``benchmarks/results/<benchmark>.json`` (format: benchmarks/README.md).

In a benchmark script (run as ``python benchmarks/<name>.py``, so this directory is on ``sys.path``)::

    from record import write_results

    write_results(
        "lint_throughput",
        title="Linting 300 Dockerfiles: dockgen vs hadolint",
        command="python benchmarks/lint_throughput.py",
        columns=["tool", "wall s", "CPU s"],
        rows=[{"tool": "dockgen", "wall s": 0.85, "CPU s": 0.43}, ...],
        statistic="median of 3",
        notes="...",
    )

then ``python scripts/gen_benchmarks.py`` puts it into the README's Benchmarks block.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def machine() -> str:
    """``2 cores, x86_64, Linux 6.1.0``: what the numbers were measured on."""
    return f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}"


def write_results(
    benchmark: str,
    *,
    title: str,
    command: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, str | int | float]],
    unit: str | None = None,
    statistic: str | None = None,
    notes: str | None = None,
    doc: str | None = None,
    directory: Path = RESULTS,
) -> Path:
    """Write (and check) ``<directory>/<benchmark>.json``; returns its path."""
    data: dict[str, object] = {
        "benchmark": benchmark,
        "title": title,
        "command": command,
        "columns": list(columns),
        "rows": [dict(r) for r in rows],
        "machine": machine(),
        "measured": datetime.date.today().isoformat(),
    }
    optional = {"unit": unit, "statistic": statistic, "notes": notes, "doc": doc}
    data.update({k: v for k, v in optional.items() if v is not None})
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{benchmark}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from gen_benchmarks import load  # the generator's own format check

        load(path)
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return path
