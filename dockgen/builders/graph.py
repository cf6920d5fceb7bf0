"""The image graph: which project images build FROM which, in what order, and the parallel scheduler."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace

from dockgen.builders.spec import BuildSpec
from dockgen.errors import DeclarationError, UsageError
from dockgen.reference import split_reference

_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE | re.MULTILINE)
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?", re.IGNORECASE | re.MULTILINE)


def from_references(dockerfile: str, build_args: Mapping[str, str] | None = None) -> list[str]:
    """External FROM references of a Dockerfile (stage names and ``scratch`` left out), in order.

    ``${VAR}``/``$VAR`` from global ARGs (and ``build_args``) are expanded, as BuildKit does for FROM.
    """
    text = re.sub(r"\\\n", " ", dockerfile)
    first_from = _FROM.search(text)
    defaults: dict[str, str] = {}
    for m in _ARG.finditer(text[: first_from.start() if first_from else len(text)]):
        defaults[m.group(1)] = (m.group(2) or "").strip("\"'")
    defaults.update(build_args or {})

    def expand(value: str) -> str:
        return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: defaults.get(m.group(1), ""), value)

    stages: set[str] = set()
    refs: list[str] = []
    for m in _FROM.finditer(text):
        ref = expand(m.group(1))
        if ref.lower() not in stages and ref.lower() != "scratch" and ref not in refs:
            refs.append(ref)
        if m.group(2):
            stages.add(m.group(2).lower())
    return refs


def _repo_key(ref: str) -> str:
    repo, _ = split_reference(ref)
    for prefix in ("docker.io/library/", "docker.io/"):
        if repo.startswith(prefix):
            return repo[len(prefix) :]
    return repo


def resolve_dependencies(specs: Sequence[BuildSpec]) -> list[BuildSpec]:
    """Fill ``base_images`` (from the Dockerfile) and ``depends_on`` (FROM refs naming project images).

    A FROM reference depends on a project image when it equals one of that image's references, or names
    one of its repositories (any tag), or is its bare name. Explicit ``depends_on`` is kept and checked.
    """
    by_name = {s.name: s for s in specs}
    if len(by_name) != len(specs):
        dupes = sorted({s.name for s in specs if sum(t.name == s.name for t in specs) > 1})
        raise DeclarationError(f"image names must be unique; duplicated: {', '.join(dupes)}")
    by_ref: dict[str, str] = {}
    for s in specs:
        for ref in s.references:
            by_ref[ref] = s.name
            by_ref.setdefault(_repo_key(ref), s.name)
    out: list[BuildSpec] = []
    for s in specs:
        bases = s.base_images or tuple(from_references(s.dockerfile, s.build_args))
        deps = list(s.depends_on)
        for ref in bases:
            owner = by_ref.get(ref) or by_ref.get(_repo_key(ref)) or (ref if ref in by_name else None)
            if owner and owner != s.name and owner not in deps:
                deps.append(owner)
        for d in deps:
            if d not in by_name:
                raise DeclarationError(
                    f"image {s.name!r} depends on {d!r}, which is not an image of this project",
                    hint=f"declared images: {', '.join(sorted(by_name))}",
                )
        out.append(replace(s, base_images=tuple(bases), depends_on=tuple(deps)))
    topological_order(out)
    return out


def topological_order(specs: Sequence[BuildSpec]) -> list[str]:
    """Names in build order (dependencies first, declaration order otherwise). Cycles raise."""
    deps = {s.name: list(s.depends_on) for s in specs}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*path[path.index(name) :], name]
            raise DeclarationError(
                f"images depend on each other in a cycle: {' -> '.join(cycle)}",
                hint="an image cannot build FROM an image that (indirectly) builds FROM it; break the cycle",
            )
        state[name] = 1
        for d in deps.get(name, []):
            visit(d, [*path, name])
        state[name] = 2
        order.append(name)

    for s in specs:
        visit(s.name, [])
    return order


def select(specs: Sequence[BuildSpec], names: Iterable[str]) -> list[BuildSpec]:
    """The images named (and everything they depend on), in declaration order."""
    wanted = list(names)
    by_name = {s.name: s for s in specs}
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        raise UsageError(
            f"unknown image(s): {', '.join(unknown)}", hint=f"declared images: {', '.join(sorted(by_name))}"
        )
    keep: set[str] = set()
    todo = list(wanted)
    while todo:
        n = todo.pop()
        if n not in keep:
            keep.add(n)
            todo.extend(by_name[n].depends_on)
    return [s for s in specs if s.name in keep]


@dataclass
class NodeResult:
    name: str
    ok: bool
    skipped_reason: str | None = None
    """Set when the node never ran (a dependency failed, or fail-fast stopped the run)."""


def run_graph(
    specs: Sequence[BuildSpec],
    work: Callable[[BuildSpec], bool],
    *,
    jobs: int = 2,
    keep_going: bool = False,
    on_skip: Callable[[BuildSpec, str], None] | None = None,
    stop: threading.Event | None = None,
) -> dict[str, NodeResult]:
    """Run ``work(spec)`` for every spec, dependencies first, at most ``jobs`` at a time.

    ``work`` returns True on success. A failure skips everything that depends on it; without
    ``keep_going`` it also stops starting new work (running work finishes) and skips the rest.
    """
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    order = topological_order(specs)
    by_name = {s.name: s for s in specs}
    results: dict[str, NodeResult] = {}
    running: dict[Future[bool], str] = {}
    stop = stop or threading.Event()

    def skip(name: str, reason: str) -> None:
        results[name] = NodeResult(name, ok=False, skipped_reason=reason)
        if on_skip is not None:
            on_skip(by_name[name], reason)

    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="dockgen-build") as pool:
        pending = list(order)
        while pending or running:
            for name in list(pending):
                if stop.is_set():
                    break
                spec = by_name[name]
                failed = [d for d in spec.depends_on if d in results and not results[d].ok]
                if failed:
                    pending.remove(name)
                    skip(name, f"dependency {failed[0]} failed")
                    continue
                if all(d in results for d in spec.depends_on) and len(running) < jobs:
                    pending.remove(name)
                    running[pool.submit(work, spec)] = name
            if stop.is_set() and pending:
                for name in pending:
                    skip(name, "not started: an earlier image failed (use --keep-going to build the rest)")
                pending = []
            if not running:
                if pending:  # nothing runnable and nothing running: only possible with a bug
                    raise AssertionError(f"graph stalled with {pending}")
                break
            try:
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            except BaseException:  # SIGINT/SIGTERM: start nothing more, end the builders, let workers finish
                stop.set()
                from dockgen.interrupts import end_children

                end_children()
                raise
            for fut in done:
                name = running.pop(fut)
                try:
                    ok = fut.result()
                except BaseException:
                    stop.set()
                    raise
                results[name] = NodeResult(name, ok=ok)
                if not ok and not keep_going:
                    stop.set()
    return results
