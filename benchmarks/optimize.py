"""Benchmark of dockgen's optimizer: image size, layers and rebuild time, measured on a real engine.

Cases: the projects under ``benchmarks/optimize_cases/<name>/`` (naive Dockerfiles plus the app's sources, and
compile-from-source projects: C with make install, C++ with CMake, Rust, Python with a C extension, Node with a
native addon), and, with ``--corpus DIR``, a few real public Dockerfiles (see ``REAL_CASES``). Each case is
built in five variants, each from a fresh copy of the directory:

* ``original``  the Dockerfile as written;
* ``fix``       after ``dockgen lint Dockerfile --fix`` (safe fixes only);
* ``unsafe``    after ``dockgen lint Dockerfile --fix --unsafe-fixes --extend-select DG056`` (all the optimizer's
                rewrites: also the multi-stage split, the -slim base);
* ``decl``      ``dockgen import Dockerfile`` -> build_images.py -> ``python build_images.py render``;
* ``decl-opt``  the same with ``dockgen import --optimize``.

Per variant: a build (``--no-cache`` unless ``--cached``; its wall time), the image's size both as stored
compressed (``docker image inspect`` .Size on the containerd image store: what a pull downloads) and unpacked
(the sum of its layers' sizes from ``docker history``: what it takes on disk), the layer count, the image's own
command run once (stdout + exit code, compared with the original's), then one line appended to an app source
file and a cached rebuild (wall time). A variant whose Dockerfile and .dockerignore are byte-identical to an
earlier variant's reuses that variant's numbers.

Needs the local Docker engine (scripts/infra.sh); the base images come from the local mirror, the packages
from the Debian archive, PyPI and the npm registry.

Usage: python benchmarks/optimize.py [--cases a,b] [--quick] [--compile] [--corpus DIR] [--cached] [--jobs N]
                                     [--json FILE]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "optimize_cases"
VARIANTS = ("original", "fix", "unsafe", "decl", "decl-opt")
BUILD_TIMEOUT = 900
TRUSTED_BASES = ("debian:bookworm", "debian:bookworm-slim")
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

# Published figures on real-world Dockerfiles, printed beside ours (see docs/optimize.md for the sources).
REFERENCES = (
    ("rule-based smell repair, mean image size saved", "5%"),
    ("LLM-driven refactoring, mean image size saved", "32%"),
    ("instruction reordering, mean rebuild time saved", "26.5%"),
)


@dataclass(frozen=True)
class Case:
    name: str
    touch: str
    """The app source file that gets one line appended before the rebuild."""
    quick: bool = False
    """Part of the --quick subset (small base images, fast installs)."""
    compile: bool = False
    """Compiles from source (the multi-stage split applies)."""
    corpus: str = ""
    """A real public Dockerfile: its path under the --corpus directory (built with an empty context)."""
    bases: tuple[tuple[str, str], ...] = ()
    """FROM images of a corpus file replaced before anything else (only Debian 12 is available offline)."""
    command: tuple[str, ...] = ()
    """Arguments the behaviour check runs the image with (default: its own command)."""

    @property
    def kind(self) -> str:
        return "real" if self.corpus else "compile" if self.compile else "naive"


CASES = (
    Case("apt-python-script", "report.py", quick=True),
    Case("pip-venv-requirements", "app.py"),
    Case("node-npm-install", "index.js"),
    Case("gcc-hello", "checksum.c"),
    Case("go-single-stage", "main.go"),
    Case("download-then-delete", "highlight.py"),
    Case("python-pipe-download", "table.py", quick=True),
    Case("apt-jq-late-cleanup", "services.json"),
    Case("busybox-add-maintainer", "greet.sh", quick=True),
    Case("busybox-many-runs", "run.sh", quick=True),
    Case("c-make-install", "digest.c", compile=True),
    Case("cpp-cmake-install", "wordstat.cpp", compile=True),
    Case("rust-cargo-release", "src/main.rs", compile=True),
    Case("python-c-extension", "fastsum/cli.py", compile=True),
    Case("node-native-addon", "index.js", compile=True),
)
#: gcc-hello and go-single-stage compile too (the original naive cases)
COMPILE_CASES = frozenset({"gcc-hello", "go-single-stage"} | {c.name for c in CASES if c.compile})

# Real public Dockerfiles (github.com/jessfraz/dockerfiles at 8ff9913, MIT; github.com/vimagick/dockerfiles at
# b8ad7d7, MIT): the Debian-based ones of the corpus that build offline (apt only, no downloads, no COPY of
# files the repository does not have). Their old suites are pinned to bookworm, the only Debian here.
_SLIM = (("debian:bullseye-slim", "debian:bookworm-slim"), ("debian:sid-slim", "debian:bookworm-slim"))
REAL_CASES = (
    Case(
        "real-jessfraz-lynx",
        "",
        corpus="jessfraz+dockerfiles/lynx/Dockerfile",
        bases=_SLIM,
        command=("-version",),
    ),
    Case(
        "real-jessfraz-nmap",
        "",
        corpus="jessfraz+dockerfiles/nmap/Dockerfile",
        bases=_SLIM,
        command=("--version",),
    ),
    Case(
        "real-jessfraz-shellcheck",
        "",
        corpus="jessfraz+dockerfiles/shellcheck/Dockerfile",
        bases=_SLIM,
        command=("shellcheck", "--version"),
    ),
    Case(
        "real-jessfraz-gcc",
        "",
        corpus="jessfraz+dockerfiles/gcc/Dockerfile",
        bases=_SLIM,
        command=("gcc", "--version"),
    ),
    Case("real-vimagick-ipfm", "", corpus="vimagick+dockerfiles/ipfm/Dockerfile", command=("-h",)),
)

_COMMENT = {".py": "# {}", ".sh": "# {}", ".js": "// {}", ".go": "// {}", ".c": "/* {} */"}


@dataclass
class Result:
    case: str
    variant: str
    built: bool = False
    error: str = ""
    size: int = 0
    """Unpacked size in bytes (sum of the layers' sizes)."""
    compressed: int = 0
    """Compressed size in bytes (``docker image inspect`` .Size on the containerd image store)."""
    layers: int = 0
    cold_s: float = 0.0
    rebuild_s: float = 0.0
    output: str = ""
    same: bool | None = None
    same_as: str = ""
    """Name of an earlier variant with the identical Dockerfile (numbers reused)."""
    changed_lines: int = 0
    """Lines of the Dockerfile that differ from the original (a rough size of the rewrite)."""


# ---- preparing a variant ----------------------------------------------------------------------------------


def _run(argv: Sequence[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def prepare(case_dir: Path, variant: str, dest: Path, case: Case | None = None) -> Path:
    """Copy ``case_dir`` to ``dest`` and turn its Dockerfile into ``variant``; returns ``dest``.

    For a corpus case, ``case_dir`` is the corpus file: it is copied alone (an empty context) with its base
    images replaced. Raises RuntimeError when the dockgen command fails (exit code above 1, i.e. not just
    "findings left")."""
    if case is not None and case.corpus:
        dest.mkdir(parents=True)
        text = case_dir.read_text()
        for old, new in case.bases:
            text = re.sub(rf"(?m)^(\s*FROM\s+){re.escape(old)}(\s|$)", rf"\g<1>{new}\g<2>", text)
        (dest / "Dockerfile").write_text(text)
    else:
        shutil.copytree(case_dir, dest)
    dockgen = [sys.executable, "-m", "dockgen"]
    if variant == "fix":
        proc = _run([*dockgen, "lint", "Dockerfile", "--fix"], dest)
    elif variant == "unsafe":
        proc = _run(
            [*dockgen, "lint", "Dockerfile", "--fix", "--unsafe-fixes", "--extend-select", "DG056"], dest
        )
    elif variant in ("decl", "decl-opt"):
        extra = ["--optimize"] if variant == "decl-opt" else []
        proc = _run(
            [*dockgen, "import", "Dockerfile", *extra, "--name", "app", "-o", "build_images.py"], dest
        )
        if proc.returncode == 0:
            # the copied Dockerfile is hand-written: the declaration takes it over
            proc = _run([sys.executable, "build_images.py", "render", "--take-over"], dest)
            if proc.returncode != 0:
                raise RuntimeError(
                    f"{variant}: render: exit {proc.returncode}: {(proc.stderr or proc.stdout)[-500:]}"
                )
    else:
        return dest
    if proc.returncode > 1:
        raise RuntimeError(
            f"{variant}: exit {proc.returncode}: {(proc.stderr or proc.stdout).strip()[-500:]}"
        )
    return dest


def variant_key(project: Path) -> str:
    ignore = project / ".dockerignore"
    return (project / "Dockerfile").read_text() + "\0" + (ignore.read_text() if ignore.exists() else "")


def append_line(path: Path) -> None:
    """Append one harmless line (a comment in the file's language; JSON gets a trailing newline)."""
    style = _COMMENT.get(path.suffix)
    line = style.format(f"rebuild {uuid.uuid4().hex[:8]}") if style else ""
    with path.open("a") as fh:
        fh.write(line + "\n")


# ---- docker -----------------------------------------------------------------------------------------------


def trusted_base(base: str, bundle: Path) -> str:
    """A local image ``base`` + the host's CA bundle, for builds behind a TLS-intercepting proxy.

    The bundle goes to /usr/local/share/ca-certificates/, so it is trusted exactly when the Dockerfile installs
    the ``ca-certificates`` package (as the public CAs would be); pip and node are told to use the system
    store. Every variant of a case gets the same base, so the comparison is unaffected (one extra layer and
    the bundle's size in every debian-based variant)."""
    tag = f"dockgen-optbench/trusted:{base.replace(':', '-')}"
    with tempfile.TemporaryDirectory(prefix="dockgen-optbench-base-") as tmp:
        ctx = Path(tmp)
        shutil.copyfile(bundle, ctx / "host-ca.crt")
        (ctx / "Dockerfile").write_text(
            f"FROM {base}\n"
            "COPY host-ca.crt /usr/local/share/ca-certificates/host-ca.crt\n"
            "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt NODE_OPTIONS=--use-openssl-ca\n"
        )
        _, err = build(ctx, tag, no_cache=False)
    if err:
        raise RuntimeError(f"building the trusted base for {base} failed: {err}")
    return tag


def rebase(project: Path, bases: dict[str, str]) -> None:
    """Point the Dockerfile's ``FROM`` lines (and ARG defaults) naming a base in ``bases`` at its replacement."""
    if not bases:
        return
    path = project / "Dockerfile"
    text = path.read_text()
    for old, new in bases.items():
        text = re.sub(rf"(?m)^(\s*FROM\s+){re.escape(old)}(\s|$)", rf"\g<1>{new}\g<2>", text)
        text = re.sub(rf"(?m)^(\s*ARG\s+\w+=){re.escape(old)}(\s|$)", rf"\g<1>{new}\g<2>", text)
    path.write_text(text)


def build(project: Path, tag: str, *, no_cache: bool) -> tuple[float, str]:
    """``docker build`` the project; returns (wall seconds, "" or the error tail)."""
    argv = ["docker", "build", "--progress=plain", "-t", tag, "-f", "Dockerfile", "."]
    if no_cache:
        argv.insert(2, "--no-cache")
    for _attempt in range(2):
        start = time.monotonic()
        proc = _run(argv, project, timeout=BUILD_TIMEOUT)
        took = time.monotonic() - start
        # other builds pruning the shared engine at the same time can make the final export miss a blob
        if proc.returncode == 0 or "failed to solve: not found" not in proc.stderr:
            break
    if proc.returncode != 0:
        tail = [ln for ln in proc.stderr.splitlines() if ln.strip()][-6:]
        return took, "\n".join(tail)
    return took, ""


def inspect(tag: str) -> tuple[int, int, int]:
    """(unpacked size, compressed size, number of layers) of a local image, sizes in bytes.

    On the containerd image store ``docker image inspect`` .Size is the compressed size of the layers (what a
    pull downloads); the unpacked size is the sum of the layers' sizes that ``docker history`` reports."""
    proc = _run(["docker", "image", "inspect", tag, "--format", "{{json .}}"], ROOT)
    info = json.loads(proc.stdout)
    hist = _run(["docker", "history", "--human=false", "--format", "{{.Size}}", tag], ROOT)
    unpacked = sum(int(x) for x in hist.stdout.split() if x.isdigit())
    return unpacked, int(info["Size"]), len(info["RootFS"]["Layers"])


def run_image(tag: str, command: Sequence[str] = (), timeout: float = 120) -> str:
    """Run the image's command (or ``command``) once; its stdout, stderr and exit code as one string."""
    proc = _run(["docker", "run", "--rm", "--network", "none", tag, *command], ROOT, timeout=timeout)
    return f"{proc.stdout}{proc.stderr}[exit {proc.returncode}]"


def remove_image(tag: str) -> None:
    _run(["docker", "image", "rm", "-f", tag], ROOT)


# ---- one case ---------------------------------------------------------------------------------------------


def _changed_lines(original: str, new: str) -> int:
    import difflib

    diff = difflib.unified_diff(original.splitlines(), new.splitlines(), lineterm="", n=0)
    return sum(1 for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---")))


def rebuild_time(project: Path, touch: Path, tag: str) -> tuple[float, str]:
    """Wall time of a cached rebuild after appending a line to ``touch``; the median of three when quick."""
    times: list[float] = []
    for _ in range(3):
        append_line(touch)
        took, err = build(project, tag, no_cache=False)
        if err:
            return took, err
        times.append(took)
        if took > 5.0:
            break
    return statistics.median(times), ""


def measure_case(
    case: Case,
    work: Path,
    bases: dict[str, str],
    log: bool = True,
    *,
    corpus: Path | None = None,
    cached: bool = False,
    variants: Sequence[str] = VARIANTS,
) -> list[Result]:
    case_dir = (corpus / case.corpus) if case.corpus and corpus is not None else CASES_DIR / case.name
    original_text = ""
    results: list[Result] = []
    seen: dict[str, Result] = {}
    for variant in variants:
        res = Result(case.name, variant)
        results.append(res)
        try:
            project = prepare(case_dir, variant, work / f"{case.name}-{variant}", case)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            res.error = f"dockgen failed: {exc}"
            continue
        if variant == "original":
            original_text = (project / "Dockerfile").read_text()
        res.changed_lines = _changed_lines(original_text, (project / "Dockerfile").read_text())
        key = variant_key(project)
        if key in seen:
            earlier = seen[key]
            same_as = earlier.same_as or earlier.variant
            res.__dict__.update(dataclasses.asdict(earlier) | {"variant": variant, "same_as": same_as})
            continue
        seen[key] = res
        rebase(project, bases)
        tag = f"dockgen-optbench/{case.name}:{variant}-{uuid.uuid4().hex[:6]}"
        if log:
            print(f"  {case.name} / {variant}: cold build", file=sys.stderr, flush=True)
        res.cold_s, err = build(project, tag, no_cache=not cached)
        if err:
            res.error = f"build failed: {err}"
            continue
        res.built = True
        res.size, res.compressed, res.layers = inspect(tag)
        res.output = run_image(tag, case.command)
        if case.touch:
            res.rebuild_s, err = rebuild_time(project, project / case.touch, tag)
            if err:
                res.error = f"rebuild failed: {err}"
        remove_image(tag)
    reference = results[0].output if results[0].built else None
    for res in results:
        if res.built:
            res.same = reference is not None and res.output == reference
    return results


# ---- report -----------------------------------------------------------------------------------------------


def _saved(new: float, old: float) -> float:
    return 100.0 * (old - new) / old if old else 0.0


def table(results: list[Result]) -> str:
    head = (
        f"{'case':<26} {'variant':<9} {'unpacked MB':>11} {'compr. MB':>9} {'layers':>6} {'build s':>7} "
        f"{'rebuild s':>9} {'same':>4}  note"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        if not r.built:
            lines.append(
                f"{r.case:<26} {r.variant:<9} {'-':>11} {'-':>9} {'-':>6} {'-':>7} {'-':>9} {'✗':>4}  {_note(r)}"
            )
            continue
        mark = "✓" if r.same else "✗"
        lines.append(
            f"{r.case:<26} {r.variant:<9} {r.size / 1e6:>11.1f} {r.compressed / 1e6:>9.1f} {r.layers:>6} "
            f"{r.cold_s:>7.1f} {r.rebuild_s:>9.1f} {mark:>4}  {_note(r)}"
        )
    return "\n".join(lines)


def _note(r: Result) -> str:
    if r.error:
        return r.error.splitlines()[0][:60] if r.error.startswith("dockgen") else "build failed"
    notes = []
    if r.same_as:
        notes.append(f"= {r.same_as}")
    if r.variant != "original":
        notes.append(f"{r.changed_lines} lines changed")
    return ", ".join(notes)


#: cases that install dependencies from a manifest (the rebuild-time goal is measured on these)
DEPENDENCY_CASES = frozenset({"pip-venv-requirements", "node-npm-install"})


def summary(results: list[Result], cases: Sequence[Case]) -> dict[str, dict[str, object]]:
    """Per variant and per group of cases (all, naive, compile, real): mean/median/min size saved (unpacked
    and compressed), rebuild time saved on the dependency-install cases, builds, failures, behaviour."""
    kinds = {c.name: ("compile" if c.name in COMPILE_CASES else c.kind) for c in cases}
    by_case: dict[str, dict[str, Result]] = {}
    for r in results:
        by_case.setdefault(r.case, {})[r.variant] = r
    out: dict[str, dict[str, object]] = {}
    variants = [v for v in VARIANTS[1:] if any(v in vs for vs in by_case.values())]
    for variant in variants:
        for group in ("all", "cases", "naive", "compile", "real"):
            size: list[float] = []
            compressed: list[float] = []
            rebuild: list[float] = []
            failed = differs = 0
            for name, vs in by_case.items():
                kind = kinds.get(name)
                if group == "cases" and kind == "real":
                    continue  # "cases": the benchmark's own projects (naive + compile), not the real files
                if group not in ("all", "cases") and kind != group:
                    continue
                orig, new = vs.get("original"), vs.get(variant)
                if orig is None or new is None or not orig.built:
                    continue
                if not new.built:
                    failed += 1
                    continue
                if not new.same:
                    differs += 1
                size.append(_saved(new.size, orig.size))
                compressed.append(_saved(new.compressed, orig.compressed))
                if name in DEPENDENCY_CASES:
                    rebuild.append(_saved(new.rebuild_s, orig.rebuild_s))
            if not size and not failed:
                continue
            out[f"{variant}/{group}"] = {
                "variant": variant,
                "group": group,
                "built": len(size),
                "failed": failed,
                "differs": differs,
                "mean_size_saved": round(statistics.mean(size), 1) if size else None,
                "median_size_saved": round(statistics.median(size), 1) if size else None,
                "min_size_saved": round(min(size), 1) if size else None,
                "mean_compressed_saved": round(statistics.mean(compressed), 1) if compressed else None,
                "mean_rebuild_saved_dependency_cases": round(statistics.mean(rebuild), 1)
                if rebuild
                else None,
            }
    return out


def totals(results: list[Result], cases: Sequence[Case] = CASES) -> list[str]:
    out = []
    for key, row in summary(results, cases).items():
        if not row["built"]:
            out.append(f"{key:<18} no successful builds ({row['failed']} failed)")
            continue
        rebuild = row["mean_rebuild_saved_dependency_cases"]
        out.append(
            f"{key:<18} size saved unpacked mean {row['mean_size_saved']:5.1f}% (median {row['median_size_saved']:5.1f}%,"
            f" min {row['min_size_saved']:5.1f}%), compressed mean {row['mean_compressed_saved']:5.1f}%"
            + (f"; rebuild saved on dependency installs {rebuild:5.1f}%" if rebuild is not None else "")
            + f"; {row['built']} built, {row['failed']} failed, {row['differs']} behave differently"
        )
    return out


def results_block(payload: dict[str, object], command: str) -> dict[str, object]:
    """The summary in the shape of ``benchmarks/results/*.json`` (what the README's Benchmarks block shows)."""
    summ = payload["summary"]
    assert isinstance(summ, dict)
    columns = [
        "variant",
        "mean size saved, naive + compile cases (unpacked / compressed)",
        "min size saved, compile-from-source cases",
        "mean size saved, real Dockerfiles",
        "built / failed / behave differently",
    ]
    rows = []
    names = {"fix": "lint --fix", "unsafe": "lint --fix --unsafe-fixes", "decl": "import + render",
             "decl-opt": "import --optimize + render"}  # fmt: skip
    for variant, label in names.items():
        every = summ.get(f"{variant}/cases")
        if not isinstance(every, dict):
            continue
        comp = summ.get(f"{variant}/compile") or {}
        real = summ.get(f"{variant}/real") or {}
        rows.append(
            {
                "variant": label,
                columns[1]: f"{every['mean_size_saved']}% / {every['mean_compressed_saved']}%",
                columns[2]: f"{comp.get('min_size_saved')}%" if comp else "-",
                columns[3]: f"{real.get('mean_size_saved')}%" if real else "-",
                columns[4]: f"{every['built']} / {every['failed']} / {every['differs']}",
            }
        )
    cases = payload.get("cases", [])
    assert isinstance(cases, list)
    return {
        "benchmark": "optimize",
        "title": "Optimizer: image size saved against the original Dockerfile",
        "command": command,
        "unit": "%",
        "statistic": "mean over the cases (size: sum of layers unpacked / compressed as stored)",
        "columns": columns,
        "rows": rows,
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}",
        "measured": time.strftime("%Y-%m-%d", time.gmtime()),
        "doc": "docs/optimize.md",
        "notes": f"{len(cases)} cases: "
        + ", ".join(f"{sum(1 for c in cases if c['kind'] == k)} {k}" for k in ("naive", "compile", "real"))
        + "; behaviour = the image's command output and exit code compared with the original's; see docs/optimize.md",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument(
        "--quick", action="store_true", help="only the fast cases (busybox, small apt installs)"
    )
    parser.add_argument("--compile", action="store_true", help="only the compile-from-source cases")
    parser.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        help="also run the real public Dockerfiles of REAL_CASES, read from DIR (a checkout per repository: "
        "DIR/jessfraz+dockerfiles = github.com/jessfraz/dockerfiles, DIR/vimagick+dockerfiles = "
        "github.com/vimagick/dockerfiles)",
    )
    parser.add_argument(
        "--cached",
        action="store_true",
        help="build with the engine's cache (faster; build times are not cold)",
    )
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="measure N cases at a time")
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help=f"comma-separated variants (default: {','.join(VARIANTS)})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw results as JSON")
    parser.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="build nothing: print the table and totals of --json files written earlier (a case measured in "
        "a later file replaces its results from an earlier one)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        metavar="FILE",
        help="also write the summary for the README's Benchmarks block (benchmarks/results/optimize.json)",
    )
    parser.add_argument(
        "--ca-bundle",
        type=Path,
        default=HOST_CA_BUNDLE,
        metavar="FILE",
        help=f"CA bundle added to the debian base images (default: {HOST_CA_BUNDLE}; see trusted_base)",
    )
    parser.add_argument("--no-ca-bundle", action="store_true", help="build FROM the base images unchanged")
    args = parser.parse_args(argv)
    if args.from_json:
        payload = json.loads(args.from_json[0].read_text())
        for extra in args.from_json[1:]:
            more = json.loads(extra.read_text())
            # a later measurement of a variant replaces the earlier one; an original measured again with
            # only some variants keeps the earlier file's other variants (and is then the reference for all)
            redone = {(r["case"], r["variant"]) for r in more["results"]}
            payload["results"] = [r for r in payload["results"] if (r["case"], r["variant"]) not in redone]
            payload["results"] += more["results"]
            known = {c["name"] for c in payload["cases"]}
            payload["cases"] += [c for c in more["cases"] if c["name"] not in known]
        order = [c["name"] for c in payload["cases"]]
        payload["results"].sort(
            key=lambda r: (
                order.index(r["case"]) if r["case"] in order else len(order),
                VARIANTS.index(r["variant"]),
            )
        )
        loaded = [Result(**r) for r in payload["results"]]
        all_cases = {c.name: c for c in (*CASES, *REAL_CASES)}
        chosen_cases = [all_cases[c["name"]] for c in payload["cases"] if c["name"] in all_cases]
        print(table(loaded))
        print()
        for line in totals(loaded, chosen_cases):
            print(f"  {line}")
        payload["summary"] = summary(loaded, chosen_cases)
        if args.results:
            command = payload.get("command") or "python benchmarks/optimize.py"
            args.results.write_text(json.dumps(results_block(payload, str(command)), indent=2) + "\n")
        if args.json:
            args.json.write_text(json.dumps(payload, indent=2) + "\n")
        return 0
    known = list(CASES) + (list(REAL_CASES) if args.corpus else [])
    chosen = known
    if args.cases:
        wanted = [c.strip() for c in args.cases.split(",") if c.strip()]
        unknown = sorted(set(wanted) - {c.name for c in known})
        if unknown:
            parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(c.name for c in known)}")
        chosen = [c for c in known if c.name in wanted]
    if args.quick:
        chosen = [c for c in chosen if c.quick]
    if args.compile:
        chosen = [c for c in chosen if c.name in COMPILE_CASES]
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if not variants or variants[0] != "original" or set(variants) - set(VARIANTS):
        parser.error(f"--variants must start with original and name only {', '.join(VARIANTS)}")
    started = time.monotonic()
    bases = {} if args.no_ca_bundle else {b: trusted_base(b, args.ca_bundle) for b in TRUSTED_BASES}
    by_case: dict[str, list[Result]] = {}
    with tempfile.TemporaryDirectory(prefix="dockgen-optbench-") as tmp:

        def one(case: Case) -> list[Result]:
            print(f"case {case.name}", file=sys.stderr, flush=True)
            return measure_case(
                case, Path(tmp), bases, corpus=args.corpus, cached=args.cached, variants=variants
            )

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(one, case): case for case in chosen}
            for future in concurrent.futures.as_completed(futures):
                by_case[futures[future].name] = future.result()
                if args.json:  # what is measured so far survives an interrupted run
                    done = [c for c in chosen if c.name in by_case]
                    partial = [r for c in done for r in by_case[c.name]]
                    _write_json(args.json, argv, args.cached, done, partial)
    results = [r for case in chosen for r in by_case[case.name]]
    print(table(results))
    print()
    print("Totals against the original (cases whose original built); size saved = unpacked unless noted:")
    for line in totals(results, chosen):
        print(f"  {line}")
    print()
    print("Published figures on real-world Dockerfiles, for comparison:")
    for what, value in REFERENCES:
        print(f"  {what}: {value}")
    print(f"\n{len(chosen)} cases, {time.monotonic() - started:.0f} s wall time")
    for r in results:
        if r.error and not r.same_as:
            print(f"\n{r.case} / {r.variant}: {r.error}", file=sys.stderr)
    payload = _payload(argv, args.cached, chosen, results)
    if args.results:
        args.results.write_text(json.dumps(results_block(payload, str(payload["command"])), indent=2) + "\n")
    if args.json:
        _write_json(args.json, argv, args.cached, chosen, results)
    return 0


def _payload(
    argv: list[str] | None, cached: bool, chosen: Sequence[Case], results: list[Result]
) -> dict[str, object]:
    return {
        "benchmark": "optimize",
        "command": "python benchmarks/optimize.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "cached": cached,
        "cases": [{"name": c.name, "kind": "compile" if c.name in COMPILE_CASES else c.kind} for c in chosen],
        "summary": summary(results, chosen),
        "results": [dataclasses.asdict(r) for r in results],
    }


def _write_json(
    path: Path, argv: list[str] | None, cached: bool, chosen: Sequence[Case], results: list[Result]
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_payload(argv, cached, chosen, results), indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
