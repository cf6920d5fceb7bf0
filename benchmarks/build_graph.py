"""Benchmark of the build engine on a three-image monorepo (base <- app, and an independent worker).

Runs against the local engine and registry (scripts/infra.sh):

1. cold:    empty BuildKit cache, build + push everything;
2. warm:    one source file of ``app`` changed, build + push (base/worker skipped, app rebuilt from cache);
3. no-op:   nothing changed, ``build --push`` (every image skipped by its content tag);
4. sequential vs parallel wall time (cold, --jobs 1 vs --jobs 2);
5. the no-op against ``docker buildx bake`` on the bake file of the same images (bake always runs BuildKit).

``--nodes`` measures something else: the same graph for linux/amd64 + linux/arm64 on one BuildKit node
(``dockgen-remote``: one daemon builds both platforms, arm64 under QEMU) against the two-node builder
(``dockgen-multinode``: one daemon per platform), both made by scripts/infra.sh: cold (daemons pruned),
warm after one source change, and a warm rebuild of everything (``--no-skip``, every step cached). It
prints a table and writes benchmarks/results/build_graph.json.

Uses a generated project (examples/monorepo installs packages from the Debian archive, which makes
cold timings measure the network; see docs/build.md for single runs of the example). Prints a table.
Usage: python benchmarks/build_graph.py [--registry 127.0.0.1:5000] [--repeat 3] [--nodes]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dockgen.builders.bake import bake_document, write_bake_file  # noqa: E402
from dockgen.builders.plan import make_plan  # noqa: E402
from dockgen.builders.runner import BuildOptions, Runner  # noqa: E402
from dockgen.builders.spec import BuildSpec  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from record import write_results  # noqa: E402


def make_project(root: Path, registry: str) -> list[BuildSpec]:
    ns = f"bench/{uuid.uuid4().hex[:8]}"
    files = {
        "base/requirements.txt": "requests==2.32.0\n",
        "app/app.py": "print('app')\n",
        "app/lib/util.py": "X = 1\n",
        "worker/worker.py": "print('worker')\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=b", "-c", "user.email=b@e", "commit", "-qm", "b"], cwd=root, check=True
    )

    def refs(name: str) -> tuple[str, ...]:
        return tuple(f"{registry}/{ns}/{name}:{t}" for t in ("1.0.0", "1.0", "1", "latest"))

    return [
        BuildSpec(
            "base",
            "FROM busybox\nCOPY requirements.txt /opt/\nRUN for i in $(seq 1 200); do echo $i >> /opt/n; done && sleep 2\n",
            root / "base",
            refs("base"),
        ),
        BuildSpec(
            "app",
            f"FROM {registry}/{ns}/base:1.0.0\nCOPY . /srv/app\nRUN sleep 2 && ls -R /srv/app > /srv/files\n",
            root / "app",
            refs("app"),
        ),
        BuildSpec(
            "worker",
            "FROM busybox\nCOPY worker.py /srv/\nRUN sleep 2 && wc -c /srv/worker.py > /srv/size\n",
            root / "worker",
            refs("worker"),
        ),
    ]


NODE_BUILDERS = {"one node": "dockgen-remote", "two nodes": "dockgen-multinode"}
PLATFORMS = ("linux/amd64", "linux/arm64")


def make_multiarch_project(root: Path, registry: str) -> list[BuildSpec]:
    """The same three-image graph, for two platforms, with a CPU-bound step (slow under QEMU)."""
    busy = "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done"
    return [
        BuildSpec(
            s.name,
            s.dockerfile.replace("sleep 2", busy),
            s.context,
            s.references,
            platforms=PLATFORMS,
        )
        for s in make_project(root, registry)
    ]


def prune_builder(builder: str) -> None:
    subprocess.run(
        ["docker", "buildx", "prune", "-af", "--builder", builder], capture_output=True, check=False
    )


def compare_nodes(args: argparse.Namespace) -> int:
    for builder in NODE_BUILDERS.values():
        out = subprocess.run(["docker", "buildx", "inspect", "--bootstrap", builder], capture_output=True)
        if out.returncode != 0:
            raise SystemExit(
                f"builder {builder} is not available: run scripts/infra.sh (needs the BuildKit binaries)"
            )
    scenarios = (
        "cold build+push (daemons pruned)",
        "warm: one app source file changed",
        "warm: rebuild all (--no-skip)",
    )
    samples: dict[str, dict[str, list[float]]] = {s: {k: [] for k in NODE_BUILDERS} for s in scenarios}
    with tempfile.TemporaryDirectory(prefix="dockgen-bench-nodes-") as tmp:
        for i in range(args.repeat):
            for label, builder in NODE_BUILDERS.items():
                d = Path(tmp) / f"{i}-{builder}"
                d.mkdir()
                specs = make_multiarch_project(d, args.registry)
                for b in NODE_BUILDERS.values():
                    prune_builder(b)
                cold, warm, rebuild = scenarios
                samples[cold][label].append(
                    timed(lambda s=specs, b=builder: dockgen_run(s, push=True, builder=b))
                )  # type: ignore[misc]
                (d / "app" / "app.py").write_text(f"print('app {i}')\n")
                samples[warm][label].append(
                    timed(lambda s=specs, b=builder: dockgen_run(s, push=True, builder=b))
                )  # type: ignore[misc]
                samples[rebuild][label].append(
                    timed(lambda s=specs, b=builder: dockgen_run(s, push=True, builder=b, no_skip=True))  # type: ignore[misc]
                )
    rows = [
        {"scenario": name, **{label: round(statistics.median(v), 2) for label, v in by.items()}}
        for name, by in samples.items()
    ]
    width = max(len(s) for s in scenarios)
    print(
        f"{'scenario'.ljust(width)}  "
        + "  ".join(f"{k:>10}" for k in NODE_BUILDERS)
        + f"   (median of {args.repeat}, s)"
    )
    for row in rows:
        print(f"{str(row['scenario']).ljust(width)}  " + "  ".join(f"{row[k]:>9.2f}s" for k in NODE_BUILDERS))
    path = write_results(
        "build_graph",
        title="Three-image graph for linux/amd64 + linux/arm64: one BuildKit node vs two nodes",
        command=f"python benchmarks/build_graph.py --nodes --repeat {args.repeat}",
        columns=["scenario", *NODE_BUILDERS],
        rows=rows,
        unit="s",
        statistic=f"median of {args.repeat}",
        notes="one node: dockgen-remote (one buildkitd builds both platforms, arm64 under QEMU); "
        "two nodes: dockgen-multinode (a buildkitd per platform, arm64 under QEMU, same machine); "
        "local registry; each RUN is a CPU-bound shell loop",
        doc="docs/build.md",
    )
    print(f"wrote {path.relative_to(ROOT)} (python scripts/gen_benchmarks.py puts it into the README)")
    return 0


def prune() -> None:
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True, check=False)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def dockgen_run(specs: list[BuildSpec], **opts: object) -> None:
    report = Runner(specs, BuildOptions(progress="quiet", **opts), io.StringIO()).run()  # type: ignore[arg-type]
    if not report.ok:
        raise SystemExit("benchmark build failed: " + "; ".join(o.detail for o in report.outcomes.values()))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry", default="127.0.0.1:5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nodes", action="store_true", help="one BuildKit node vs the two-node builder")
    args = parser.parse_args()
    if args.nodes:
        return compare_nodes(args)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="dockgen-bench-") as tmp:
        # cold, parallel vs sequential (fresh namespaces so nothing is skipped)
        seq, par = [], []
        for i in range(args.repeat):
            for jobs, bucket in ((1, seq), (2, par)):
                d = Path(tmp) / f"p{i}-{jobs}"
                d.mkdir()
                specs = make_project(d, args.registry)
                prune()
                bucket.append(timed(lambda s=specs, j=jobs: dockgen_run(s, push=True, jobs=j)))  # type: ignore[misc]
        rows.append(("cold build+push, --jobs 1 (sequential)", f"{statistics.median(seq):.2f}s"))
        rows.append(("cold build+push, --jobs 2 (parallel)", f"{statistics.median(par):.2f}s"))

        d = Path(tmp) / "main"
        d.mkdir()
        specs = make_project(d, args.registry)
        prune()
        rows.append(
            (
                "cold build+push (again, for the warm/no-op runs)",
                f"{timed(lambda: dockgen_run(specs, push=True)):.2f}s",
            )
        )
        warm = []
        for i in range(args.repeat):
            (d / "app" / "app.py").write_text(f"print('app {i}')\n")
            warm.append(timed(lambda: dockgen_run(specs, push=True)))
        rows.append(("warm: app source changed, build+push", f"{statistics.median(warm):.2f}s"))
        noop = [timed(lambda: dockgen_run(specs, push=True)) for _ in range(args.repeat)]
        rows.append(("no-op: nothing changed, build --push (in-process)", f"{statistics.median(noop):.2f}s"))
        cli = [
            timed(
                lambda: subprocess.run(
                    [sys.executable, "-c", "import dockgen.builders.runner"], check=True, capture_output=True
                )
            )
            for _ in range(args.repeat)
        ]
        rows.append(
            ("python start + import of the engine (add for a CLI run)", f"{statistics.median(cli):.2f}s")
        )

        plan = make_plan(specs, BuildOptions())
        bake = d / "bake.json"
        doc = bake_document(plan.steps_specs(), source_date_epoch=plan.source_date_epoch)
        for target in doc["target"].values():
            target["attest"] = ["type=provenance,disabled=true"]
        write_bake_file(bake, doc)
        subprocess.run(["docker", "buildx", "bake", "-f", str(bake)], capture_output=True, check=True)
        bake_noop = [
            timed(
                lambda: subprocess.run(
                    ["docker", "buildx", "bake", "-f", str(bake)], capture_output=True, check=True
                )
            )
            for _ in range(args.repeat)
        ]
        rows.append(
            (
                "no-op: docker buildx bake on the same bake file (fully cached, local)",
                f"{statistics.median(bake_noop):.2f}s",
            )
        )
        bake_push = [
            timed(
                lambda: subprocess.run(
                    ["docker", "buildx", "bake", "--push", "-f", str(bake)], capture_output=True, check=True
                )
            )
            for _ in range(args.repeat)
        ]
        rows.append(
            ("no-op: docker buildx bake --push (fully cached)", f"{statistics.median(bake_push):.2f}s")
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'scenario'.ljust(width)}  median of {args.repeat}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    print(json.dumps(dict(rows)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
