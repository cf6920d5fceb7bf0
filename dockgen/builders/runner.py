"""Orchestration: plan, build in dependency order, skip unchanged images, push content, then tags.

``run_build(specs, options, stream)`` is what ``dockgen build`` / ``dockgen push`` call; ``make_plan`` is
what ``dockgen plan`` prints.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TextIO

from dockgen.builders.backend import Backend, BuildJob, BuildResult
from dockgen.builders.content_hash import content_hash, content_tag, hash_context
from dockgen.builders.graph import resolve_dependencies, run_graph, select, topological_order
from dockgen.builders.manifests import ClientManifestStore, ManifestStore, docker_mirrors
from dockgen.builders.progress import Reporter, make_reporter
from dockgen.builders.publish import PublishLog, TagPlan, publish_tags, rollback
from dockgen.builders.secrets import Redactor
from dockgen.builders.spec import BuildSpec
from dockgen.errors import BuildError, DockgenError, UsageError
from dockgen.labels import CONTENT_HASH_LABEL, PUSHED_AT_ANNOTATION, GitInfo, git_info, oci_labels
from dockgen.reference import split_reference


@dataclass
class BuildOptions:
    push: bool = False
    atomic: bool = False
    jobs: int = 2
    keep_going: bool = False
    backend: str = "auto"
    builder: str | None = None
    platforms: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    no_skip: bool = False
    progress: str = "auto"
    push_only: bool = False
    """Push images already built locally (``dockgen push``): never build."""
    gate: Callable[[str, str], None] | None = None
    """Called as ``gate(image_name, "repo@sha256:...")`` after an image's content is in the registry and
    before any of its tags is added; raising DockgenError stops that image from being published (the scan
    gate of ``--push --scan``)."""


@dataclass
class ImageOutcome:
    name: str
    references: tuple[str, ...]
    status: str = "pending"
    """built / pushed / cached / failed / skipped"""
    digest: str | None = None
    content_hash: str | None = None
    size: int | None = None
    seconds: float = 0.0
    detail: str = ""
    tags_added: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("built", "pushed", "cached")


@dataclass
class RunReport:
    outcomes: dict[str, ImageOutcome] = field(default_factory=dict)
    rollback: list[str] = field(default_factory=list)
    errors: list[DockgenError] = field(default_factory=list)
    interrupted: BaseException | None = None
    """The KeyboardInterrupt (SIGINT) or :class:`dockgen.interrupts.Interrupted` (SIGTERM) that stopped the run."""

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes.values()) and not self.errors and self.interrupted is None


def choose_backend(name: str, builder: str | None) -> Backend:
    from dockgen.builders.buildx import BuildxBackend, buildx_available

    if name == "auto":
        name = "buildx" if buildx_available() else "engine"
    if name == "buildx":
        return BuildxBackend(builder)
    if name == "engine":
        if builder:
            raise UsageError("--builder needs the buildx backend", hint="drop --backend engine or --builder")
        from dockgen.builders.engine import EngineBackend

        return EngineBackend()
    raise UsageError(f"unknown backend {name!r}", hint="use --backend buildx, engine or auto")


class BaseResolver:
    """Digests of external base images (cached; Docker Hub through the engine's mirrors when configured)."""

    def __init__(self, store: ManifestStore) -> None:
        self.store = store
        self.cache: dict[str, str] = {}
        self.lock = threading.Lock()

    def digest(self, ref: str) -> str:
        if "@" in ref:
            return ref.split("@", 1)[1]
        with self.lock:
            if ref in self.cache:
                return self.cache[ref]
        repo, tag = split_reference(ref)
        try:
            found = self.store.head(repo, tag)
        except DockgenError:
            found = None
        value = found or f"unresolved:{ref}"
        with self.lock:
            self.cache[ref] = value
        return value


@dataclass
class _Built:
    spec: BuildSpec
    hash: str
    ctag: str
    digest: str | None
    pushed: bool = False
    source: str | None = None
    """Build-context source for dependents built without push (see BuildResult.local_source)."""


class Runner:
    def __init__(
        self,
        specs: Sequence[BuildSpec],
        options: BuildOptions,
        stream: TextIO,
        *,
        store: ManifestStore | None = None,
        backend: Backend | None = None,
        git: GitInfo | None = None,
    ) -> None:
        self.options = options
        all_specs = resolve_dependencies(specs)
        if options.platforms:
            all_specs = [replace(s, platforms=options.platforms) for s in all_specs]
        self.specs = select(all_specs, options.images) if options.images else all_specs
        self.order = topological_order(self.specs)
        self.by_name = {s.name: s for s in self.specs}
        self.redactor = Redactor()
        for s in self.specs:
            self.redactor.add_secrets(s.secrets)
        self.reporter: Reporter = make_reporter(stream, options.progress, self.redactor)
        self.store: ManifestStore = store or ClientManifestStore(mirrors=_hub_mirror())
        self.resolver = BaseResolver(self.store)
        self._backend = backend
        self.git = git or (git_info(self.specs[0].context) if self.specs else GitInfo())
        self.report = RunReport({s.name: ImageOutcome(s.name, s.references) for s in self.specs})
        self.built: dict[str, _Built] = {}
        self.lock = threading.Lock()
        self.pushed_at = dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = choose_backend(self.options.backend, self.options.builder)
        return self._backend

    # ---------------------------------------------------------------- per image
    def labels_for(self, spec: BuildSpec, bases: Mapping[str, str]) -> dict[str, str]:
        base = spec.base_images[-1] if spec.base_images else None
        digest = bases.get(base) if base else None
        auto = oci_labels(
            git=self.git,
            title=spec.name,
            version=spec.version,
            description=spec.description,
            base_name=base,
            base_digest=digest if digest and digest.startswith("sha256:") else None,
        )
        return {**auto, **spec.labels}

    def dependency_pins(self, spec: BuildSpec) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """For each FROM ref: what the content hash records (external digest, or a project image's content
        hash), the digest for the base.digest label, and the pinned ref the builder must use."""
        hashed: dict[str, str] = {}
        digests: dict[str, str] = {}
        pins: dict[str, str] = {}
        owners = {
            ref: dep for dep in spec.depends_on for ref in spec.base_images if _owned(ref, self.by_name[dep])
        }
        for ref in spec.base_images:
            dep = owners.get(ref)
            if dep is None:
                hashed[ref] = digests[ref] = self.resolver.digest(ref)
                continue
            b = self.built[dep]
            hashed[ref] = f"dockgen-content:{b.hash}"
            if b.digest:
                digests[ref] = b.digest
            repo = b.spec.repositories[0]
            pushed = self.options.push and b.digest is not None and b.pushed
            pins[ref] = f"{repo}@{b.digest}" if pushed else (b.source or f"{repo}:{b.ctag}")
        return hashed, digests, pins

    def prepare(self, spec: BuildSpec) -> tuple[dict[str, str], str, dict[str, str]]:
        """(labels, content hash, builder pins) for ``spec``; its dependencies must be prepared first."""
        hashed, digests, pins = self.dependency_pins(spec)
        labels = self.labels_for(spec, digests)
        h = content_hash(replace(spec, labels=labels), hashed, hash_context(spec.context, spec.dockerignore))
        labels[CONTENT_HASH_LABEL] = h
        return labels, h, pins

    def work(self, spec: BuildSpec) -> bool:
        out = self.report.outcomes[spec.name]
        started = time.monotonic()
        try:
            self._work(spec, out)
        except DockgenError as exc:
            out.status, out.detail = "failed", self.redactor.redact(str(exc))
            self.reporter.state(spec.name, "failed", out.detail.splitlines()[0])
        finally:
            out.seconds = time.monotonic() - started
        return out.ok

    def _work(self, spec: BuildSpec, out: ImageOutcome) -> None:
        opts = self.options
        self.reporter.state(spec.name, "checking")
        _check_secret_files(spec)
        self.backend.check(spec)
        labels, h, pins = self.prepare(spec)
        ctag = content_tag(h)
        out.content_hash = h
        repos = spec.repositories
        pushing = opts.push and not opts.atomic
        if not opts.no_skip and (opts.push or not self._needs_local_source(spec)):
            cached = self._find_existing(spec, ctag) if opts.push else self._find_local(spec, ctag)
            if cached is not None:
                out.digest = cached
                self.built[spec.name] = _Built(spec, h, ctag, cached, pushed=opts.push)
                if opts.push and not opts.atomic:
                    self._gate(spec, cached)
                    self._tag(spec, cached, set(), out)
                elif not opts.push:
                    self._local_tags(spec, f"{repos[0]}:{ctag}")
                out.status = "cached"
                self.reporter.state(spec.name, "cached", f"content {h[:12]} already there")
                return
        if opts.push_only:
            raise BuildError(
                f"image {spec.name!r} has no local build matching its content ({ctag})",
                hint="build it first (`dockgen build`), or run `dockgen build --push`",
            )
        job = BuildJob(
            spec=spec,
            labels=labels,
            build_contexts=pins,
            push_names=tuple(f"{r}:{ctag}" for r in repos) if pushing else (),
            local_tags=() if pushing else (*spec.references, f"{repos[0]}:{ctag}"),
            annotations={PUSHED_AT_ANNOTATION: self.pushed_at} if pushing else {},
            source_date_epoch=self.git.commit_time,
        )
        self.reporter.state(spec.name, "building")
        result: BuildResult = self.backend.build(job, self.reporter)
        out.digest, out.size = result.digest, result.size
        self.built[spec.name] = _Built(
            spec, h, ctag, result.digest, pushed=pushing, source=result.local_source
        )
        if pushing:
            if result.digest is None:
                raise BuildError(f"image {spec.name!r}: the builder did not report the pushed digest")
            self._gate(spec, result.digest)
            self._tag(spec, result.digest, set(repos), out)
            out.status = "pushed"
        else:
            out.status = "built"
        self.reporter.state(spec.name, "done", out.status)

    def _needs_local_source(self, spec: BuildSpec) -> bool:
        """Without push, a builder that cannot see the engine's images gets a dependency from this run's
        build of it (an OCI layout), so an image others build FROM is not skipped (BuildKit's cache makes
        the rebuild cheap)."""
        if getattr(self.backend, "sees_engine_images", True):
            return False
        return any(spec.name in other.depends_on for other in self.specs)

    def _gate(self, spec: BuildSpec, digest: str) -> None:
        if self.options.gate is None:
            return
        self.reporter.state(spec.name, "checking", "scan gate")
        self.options.gate(spec.name, f"{spec.repositories[0]}@{digest}")

    def _find_existing(self, spec: BuildSpec, ctag: str) -> str | None:
        digests = {repo: self.store.head(repo, ctag) for repo in spec.repositories}
        found = set(digests.values())
        if None in found or len(found) != 1:
            return None
        return found.pop()

    def _find_local(self, spec: BuildSpec, ctag: str) -> str | None:
        ref = f"{spec.repositories[0]}:{ctag}"
        out = subprocess.run(
            ["docker", "image", "inspect", "--format", "{{.Id}}", ref],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        return out.stdout.strip() or None if out.returncode == 0 else None

    def _local_tags(self, spec: BuildSpec, source: str) -> None:
        for ref in spec.references:
            subprocess.run(["docker", "tag", source, ref], capture_output=True, timeout=30, check=False)

    def _plans(self, spec: BuildSpec, digest: str, uploaded: set[str]) -> list[TagPlan]:
        by_repo: dict[str, list[str]] = {}
        for ref in spec.references:
            repo, tag = split_reference(ref)
            by_repo.setdefault(repo, []).append(tag)
        # the content tag last: a builder that pushed by digest (every driver but `docker`) left the
        # manifest untagged; elsewhere it is already there and costs one HEAD
        ctag = self.built[spec.name].ctag if spec.name in self.built else None
        if ctag:
            for repo in spec.repositories:
                tags = by_repo.setdefault(repo, [])
                if ctag not in tags:
                    tags.append(ctag)
        return [TagPlan(repo, digest, tuple(tags), repo in uploaded) for repo, tags in by_repo.items()]

    def _tag(self, spec: BuildSpec, digest: str, uploaded: set[str], out: ImageOutcome) -> None:
        self.reporter.state(spec.name, "tagging")
        plans = self._plans(spec, digest, uploaded)
        log = PublishLog()
        try:
            publish_tags(self.store, plans, log)
        except DockgenError as exc:
            undone = rollback(self.store, plans, log, settle=_settle_seconds())
            with self.lock:
                self.report.rollback += [f"{spec.name}: {line}" for line in undone]
            extra = ("\n  rolled back: " + "; ".join(undone)) if undone else ""
            raise BuildError(
                f"image {spec.name!r}: tagging failed: {exc.message}{extra}", hint=exc.hint
            ) from None
        out.tags_added = len(log.changes)

    # ---------------------------------------------------------------- whole run
    def run(self) -> RunReport:
        """Build (and push) everything; raises :class:`DockgenError` only when the builder is unusable."""
        if self.options.builder and self.specs:
            self.backend.check(self.specs[0])  # an unknown --builder fails once, before any image starts
        from dockgen.interrupts import reset

        reset()  # children may start (a previous run in this process may have been interrupted)
        self.reporter.start(self.order)
        try:
            run_graph(
                self.specs,
                self.work,
                jobs=self.options.jobs,
                keep_going=self.options.keep_going,
                on_skip=self._skipped,
            )
            if self.options.push and self.options.atomic:
                self._atomic_publish()
        except KeyboardInterrupt as exc:  # SIGINT or SIGTERM: builders ended, tags rolled back; summarise
            self._interrupted(exc)
        finally:
            self.reporter.close()
        return self.report

    def _interrupted(self, exc: KeyboardInterrupt) -> None:
        from dockgen.interrupts import interrupt_name

        name = interrupt_name(exc)
        self.report.interrupted = exc
        for o in self.report.outcomes.values():
            if not o.ok:
                o.status, o.detail = "interrupted", f"stopped by {name}"
        self.reporter.interrupted(name)

    def _skipped(self, spec: BuildSpec, reason: str) -> None:
        out = self.report.outcomes[spec.name]
        out.status, out.detail = "skipped", reason
        self.reporter.state(spec.name, "skipped", reason)

    def _atomic_publish(self) -> None:
        failed = [o.name for o in self.report.outcomes.values() if not o.ok]
        if failed:
            self.reporter.note(f"--atomic: nothing pushed because {', '.join(failed)} did not build")
            for o in self.report.outcomes.values():
                if o.ok:
                    o.detail = "built, not pushed (--atomic)"
            return
        # 1. content of every image (rebuilt from cache with push; dependencies pinned to pushed digests)
        uploads: dict[str, tuple[str, set[str]]] = {}
        for name in self.order:
            out = self.report.outcomes[name]
            spec = self.by_name[name]
            b = self.built[name]
            if out.status == "cached" and self.options.push and self._find_existing(spec, b.ctag):
                uploads[name] = (b.digest or "", set())
                continue
            try:
                digest = self._push_content(spec, b)
            except DockgenError as exc:
                out.status, out.detail = "failed", self.redactor.redact(str(exc))
                self.reporter.state(name, "failed", out.detail.splitlines()[0])
                self.reporter.note("--atomic: content push failed; no tag was changed")
                return
            uploads[name] = (digest, set(spec.repositories))
            out.digest, out.status = digest, "pushed"
        # 2. the gate (e.g. the vulnerability scan) on every image before any tag is added
        for name in self.order:
            try:
                self._gate(self.by_name[name], uploads[name][0])
            except DockgenError as exc:
                out = self.report.outcomes[name]
                out.status, out.detail = "failed", self.redactor.redact(str(exc))
                self.reporter.state(name, "failed", out.detail.splitlines()[0])
                self.reporter.note("--atomic: the gate failed; no tag was changed")
                return
        # 3. every tag of every image; any failure rolls back all tags of the run
        plans = [p for n in self.order for p in self._plans(self.by_name[n], *uploads[n])]
        log = PublishLog()
        try:
            publish_tags(self.store, plans, log)
        except KeyboardInterrupt:  # all or none, also when stopped by a signal mid-way
            self.report.rollback = rollback(self.store, plans, log, settle=_settle_seconds())
            raise
        except DockgenError as exc:
            self.report.rollback = rollback(self.store, plans, log, settle=_settle_seconds())
            self.report.errors.append(exc)
            for o in self.report.outcomes.values():
                o.status, o.detail = "failed", f"tagging failed: {exc.message}"
            return
        for n in self.order:
            self.report.outcomes[n].tags_added = sum(
                1 for c in log.changes if c.repository in self.by_name[n].repositories
            )

    def _push_content(self, spec: BuildSpec, b: _Built) -> str:
        labels, _h, pins = self.prepare(spec)
        job = BuildJob(
            spec=spec,
            labels=labels,
            build_contexts=pins,
            push_names=tuple(f"{r}:{b.ctag}" for r in spec.repositories),
            annotations={PUSHED_AT_ANNOTATION: self.pushed_at},
            source_date_epoch=self.git.commit_time,
        )
        self.reporter.state(spec.name, "pushing")
        result = self.backend.build(job, self.reporter)
        if result.digest is None:
            raise BuildError(f"image {spec.name!r}: the builder did not report the pushed digest")
        b.digest, b.pushed = result.digest, True
        self.reporter.state(spec.name, "done", "pushed")
        return result.digest


def _check_secret_files(spec: BuildSpec) -> None:
    """A secret file that is missing is an error (buildx would mount nothing, or an unrelated file)."""
    for secret in spec.secrets:
        if secret.src is not None and not secret.src.is_file():
            raise BuildError(
                f"image {spec.name!r}: build secret {secret.id!r}: {secret.src} does not exist",
                hint="create the file, or fix BuildSecret(src=...) (relative paths start at the build file's "
                "directory)",
            )


def _settle_seconds() -> float:
    """How long a PUT that never answered may still land: the registry read timeout."""
    import os

    from dockgen.registry.transport import DEFAULT_TIMEOUT

    try:
        return float(os.environ.get("DOCKGEN_REGISTRY_TIMEOUT") or DEFAULT_TIMEOUT[1])
    except ValueError:
        return DEFAULT_TIMEOUT[1]


def _owned(ref: str, dep: BuildSpec) -> bool:
    repo = split_reference(ref)[0]
    return ref in dep.references or repo in dep.repositories or ref == dep.name or ref == f"{dep.name}:latest"


def _hub_mirror() -> dict[str, str]:
    mirrors = docker_mirrors()
    return {"docker.io": mirrors[0]} if mirrors else {}


def summary_table(report: RunReport) -> str:
    rows = [("IMAGE", "TAGS", "DIGEST", "SIZE", "TIME", "STATUS")]
    for o in report.outcomes.values():
        tags = ",".join(split_reference(r)[1] for r in o.references) or "-"
        size = _human(o.size) if o.size else "-"
        status = o.status + (f" ({_first_line(o.detail)})" if o.detail and not o.ok else "")
        if o.ok and o.detail:
            status += f" ({o.detail})"
        rows.append((o.name, tags, (o.digest or "-")[:19], size, f"{o.seconds:.1f}s", status))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1] for r in rows
    )


def _first_line(detail: str, limit: int = 160) -> str:
    """The first line of an error for the summary table; when long, its start and its end (the cause)."""
    line = detail.splitlines()[0]
    if len(line) <= limit:
        return line
    return line[: limit // 3] + " ... " + line[-(limit - limit // 3 - 5) :]


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000:
            return f"{size:.0f}{unit}" if unit == "B" else f"{size:.1f}{unit}"
        size /= 1000
    return f"{size:.1f}TB"
