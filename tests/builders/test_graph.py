"""Dependency resolution, ordering, cycles and the parallel scheduler."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from dockgen.builders.graph import from_references, resolve_dependencies, run_graph, select, topological_order
from dockgen.builders.spec import BuildSpec
from dockgen.errors import DeclarationError, UsageError

REG = "127.0.0.1:5000/team"


def spec(name: str, dockerfile: str, **kw: object) -> BuildSpec:
    return BuildSpec(
        name=name, dockerfile=dockerfile, context=Path("."), references=(f"{REG}/{name}:1.0",), **kw
    )  # type: ignore[arg-type]


FROMS = [
    ("FROM busybox\n", ["busybox"]),
    ("FROM busybox AS b\nFROM b\nFROM scratch\n", ["busybox"]),
    ("ARG BASE=debian:bookworm\nFROM ${BASE}\n", ["debian:bookworm"]),
    (
        "FROM --platform=$BUILDPLATFORM golang:1 AS build\nFROM alpine\nCOPY --from=build /x /x\n",
        ["golang:1", "alpine"],
    ),
    ("from \\\n  busybox:1.35\n", ["busybox:1.35"]),
]


@pytest.mark.parametrize(
    ("dockerfile", "refs"), FROMS, ids=["plain", "stages", "arg", "platform", "continuation"]
)
def test_from_references(dockerfile: str, refs: list[str]) -> None:
    assert from_references(dockerfile) == refs


def test_dependencies_found_by_reference_and_repository() -> None:
    specs = resolve_dependencies(
        [
            spec("app", f"FROM {REG}/base:1.0\n"),
            spec("base", "FROM busybox\n"),
            spec("worker", f"FROM {REG}/base:other-tag\n"),
            spec("tool", "FROM busybox\n"),
        ]
    )
    deps = {s.name: s.depends_on for s in specs}
    assert deps == {"app": ("base",), "base": (), "worker": ("base",), "tool": ()}
    assert topological_order(specs) == ["base", "app", "worker", "tool"]


def test_cycle_is_a_clear_error() -> None:
    with pytest.raises(DeclarationError, match=r"cycle: a -> b -> a"):
        resolve_dependencies([spec("a", f"FROM {REG}/b:1.0\n"), spec("b", f"FROM {REG}/a:1.0\n")])


def test_unknown_dependency_and_duplicates() -> None:
    with pytest.raises(DeclarationError, match="not an image of this project"):
        resolve_dependencies([spec("a", "FROM busybox\n", depends_on=("nope",))])
    with pytest.raises(DeclarationError, match="unique"):
        resolve_dependencies([spec("a", "FROM busybox\n"), spec("a", "FROM busybox\n")])


def test_select_pulls_in_dependencies() -> None:
    specs = resolve_dependencies(
        [spec("base", "FROM busybox\n"), spec("app", f"FROM {REG}/base:1.0\n"), spec("x", "FROM busybox\n")]
    )
    assert [s.name for s in select(specs, ["app"])] == ["base", "app"]
    with pytest.raises(UsageError, match="unknown image"):
        select(specs, ["zzz"])


def _project() -> list[BuildSpec]:
    return resolve_dependencies(
        [
            spec("base", "FROM busybox\n"),
            spec("app", f"FROM {REG}/base:1.0\n"),
            spec("tool", "FROM busybox\n"),
            spec("other", "FROM busybox\n"),
        ]
    )


def test_parallel_within_jobs_and_dependencies_first() -> None:
    running, peak, lock = set(), [0], threading.Lock()
    finished: list[str] = []

    def work(s: BuildSpec) -> bool:
        with lock:
            assert all(d in finished for d in s.depends_on), f"{s.name} started before its dependency"
            running.add(s.name)
            peak[0] = max(peak[0], len(running))
        time.sleep(0.05)
        with lock:
            running.discard(s.name)
            finished.append(s.name)
        return True

    results = run_graph(_project(), work, jobs=2)
    assert all(r.ok for r in results.values())
    assert peak[0] == 2
    assert finished.index("base") < finished.index("app")


def test_failure_skips_dependents_and_fail_fast_stops_the_rest() -> None:
    started: list[str] = []

    def work(s: BuildSpec) -> bool:
        started.append(s.name)
        return s.name != "base"

    results = run_graph(_project(), work, jobs=1)
    assert results["base"].ok is False and results["base"].skipped_reason is None
    assert "app" not in started and results["app"].skipped_reason is not None
    assert (
        "dependency base failed" in results["app"].skipped_reason
        or "not started" in results["app"].skipped_reason
    )
    assert started == ["base"]  # fail-fast: nothing else starts


def test_keep_going_builds_independent_images() -> None:
    results = run_graph(_project(), lambda s: s.name != "base", jobs=1, keep_going=True)
    assert results["app"].skipped_reason == "dependency base failed"
    assert results["tool"].ok and results["other"].ok
