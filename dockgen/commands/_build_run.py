"""Running ``dockgen build``, ``push``, ``plan`` and ``test`` from their typed requests.

Nothing here reads the command line: :mod:`dockgen.commands._build_support` turns it into the requests of
:mod:`dockgen.commands._requests`, and these functions take those and the validated ``Image`` models.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dockgen.builders.adapter import image_repositories, specs_from_images, tag_context
from dockgen.builders.config import apply_cache, apply_sbom_generator, load_build_config
from dockgen.builders.runner import BuildOptions, Runner, RunReport, summary_table
from dockgen.builders.spec import BuildSpec
from dockgen.commands._ci import resolve_ci
from dockgen.commands._requests import AfterPublish, BuildFlags, BuildRequest, Declared, ImageExtras
from dockgen.errors import BuildError, DockgenError, RegistryError
from dockgen.interrupts import exit_code, interrupt_name
from dockgen.reference import split_reference, split_repository

if TYPE_CHECKING:
    from dockgen.imagetest.engine import CheckResult

Results = dict[str, ImageExtras]
"""Image name -> what the scan and signing added (merged into the ``--json`` summary)."""


def run_options(
    flags: BuildFlags, *, push: bool, push_only: bool = False, project_dir: Path | None = None
) -> BuildOptions:
    """The runner's options; ``--builder`` defaults to the configured ``builder`` of the project in
    ``project_dir`` (not for ``--backend engine``, which has no builders)."""
    builder = flags.builder
    if builder is None and project_dir is not None and flags.backend != "engine":
        builder = load_build_config(project_dir).builder
    return BuildOptions(
        push=push,
        atomic=flags.atomic,
        jobs=flags.jobs,
        keep_going=flags.keep_going,
        backend=flags.backend,
        builder=builder,
        platforms=flags.platforms,
        images=flags.selected,
        no_skip=flags.no_skip,
        progress=flags.output,
        push_only=push_only,
    )


def existing_tags(
    repositories: Sequence[str], stderr: TextIO, *, force: bool = False
) -> dict[str, list[str]]:
    """The tags each repository already has: one tags-list request per repository, in parallel.

    A repository that does not exist yet has none. A registry that cannot be asked (down, not logged in,
    a 5xx after every retry) fails closed: :class:`RegistryError`, because ``latest`` and the short version
    tags could otherwise move backwards over a higher release. With ``force`` it counts as none, with a note.
    Repositories without a registry host (Docker Hub / local only) are not asked.
    """
    from dockgen.registry import list_tags

    wanted = [r for r in dict.fromkeys(repositories) if split_repository(r)[0] != "docker.io"]

    def one(repo: str) -> tuple[str, list[str] | None, str | None]:
        try:
            return repo, list_tags(repo), None
        except DockgenError as exc:
            return repo, None, exc.message.splitlines()[0]

    found: dict[str, list[str]] = {}
    if not wanted:
        return found
    with ThreadPoolExecutor(max_workers=min(8, len(wanted))) as pool:
        results = list(pool.map(one, wanted))
    failed = [(repo, problem) for repo, tags, problem in results if tags is None]
    if failed and not force:
        repo, problem = failed[0]
        raise RegistryError(
            f"could not list the tags of {repo} ({problem}): without them 'latest' and the short version "
            "tags could move backwards over a higher release, so nothing was pushed",
            hint="retry when the registry answers, or pass --force-moving-tags to move them anyway",
        )
    for repo, tags, problem in results:
        if tags is None:
            print(
                f"note: could not list the tags of {repo} ({problem}); --force-moving-tags: 'latest' and the "
                "short version tags assume this is the highest release",
                file=stderr,
            )
        else:
            found[repo] = tags
    return found


def _selected(declared: Declared, flags: BuildFlags) -> set[str]:
    """Names of the images a run with ``--image`` builds: the selected ones and their dependencies."""
    if not flags.selected:
        return declared.names()
    from dockgen.builders.graph import resolve_dependencies, select

    draft = specs_from_images(
        declared.images,
        project_dir=declared.project_dir,
        version=flags.version,
        env=flags.env,
        source=declared.source,
    )
    return {s.name for s in select(resolve_dependencies(draft), list(flags.selected))}


def load_specs(
    declared: Declared, flags: BuildFlags, stderr: TextIO, *, push: bool = False, offline: bool = False
) -> list[BuildSpec]:
    """The declared images as build specs, tagged as ``dockgen tags`` tags them.

    When pushing (and not ``offline``), the tags already in each target repository are read first so
    ``latest`` and the short version tags never move backwards.
    """
    project_dir = declared.project_dir
    images = declared.images
    tags = tag_context(project_dir)
    tags.ci, tags.ci_policy = resolve_ci(flags.ci, project_dir)
    if tags.ci is not None:
        print(f"CI: {tags.ci.describe()}", file=stderr)
    if push and not offline:
        # Only the repositories this run pushes to: the selected images (--image) and what they build FROM.
        pushed = _selected(declared, flags)
        tags.existing = existing_tags(
            [r for i in images if i.name in pushed for r in image_repositories(i)],
            stderr,
            force=flags.force_moving_tags,
        )
    specs = specs_from_images(
        images,
        project_dir=project_dir,
        version=flags.version,
        env=flags.env,
        source=declared.source,
        tags=tags,
    )
    config = load_build_config(project_dir)
    mode = flags.cache or config.cache
    if flags.cache is None and mode != "none" and flags.backend == "engine":
        mode = "none"  # the configured default cannot apply to the classic builder
    if flags.ssh:
        specs = [replace(s, ssh=tuple(dict.fromkeys((*s.ssh, *flags.ssh)))) for s in specs]
    specs = apply_sbom_generator(specs, flags.sbom_generator or config.sbom_generator)
    return apply_cache(
        specs,
        mode=mode,
        cache_tag=config.cache_tag,
        cache_from=list(flags.cache_from),
        cache_to=list(flags.cache_to),
        push=push,
    )


def scan_gate(
    after: AfterPublish, as_json: bool, stderr: TextIO, results: Results
) -> Callable[[str, str], None]:
    """The ``--push --scan`` gate: scan the pushed content by digest before any tag is added.

    An image that fails the gate keeps only its internal ``content-<hash>`` tag: none of its version tags is
    published (and it is not signed).
    """
    from dockgen.lifecycle.scan import scan_image

    def gate(name: str, by_digest: str) -> None:
        print(f"{name}: scanning {by_digest}", file=stderr)
        result = scan_image(by_digest, after.scan_severity, after.scan_ignore_unfixed)
        results.setdefault(name, {})["scan"] = result.to_json()
        if not as_json:
            print(result.summary_table(), file=stderr)
        if result.failed:
            raise BuildError(
                f"image {name!r}: scan gate failed: {len(result.blocking)} vulnerabilities at or above "
                f"{result.threshold} in {by_digest}; no tag was published",
                hint="fix or upgrade the vulnerable packages, or adjust --scan-severity / --scan-ignore-unfixed",
            )

    return gate


def scan_and_sign(
    report: RunReport, after: AfterPublish, as_json: bool, stderr: TextIO, *, push: bool, results: Results
) -> Results:
    """After the run: sign every pushed image by digest; scan local builds (pushed ones were scanned by the
    gate before their tags were added).

    Adds per image ``{"scan": ScanResult.to_json(), "signed": [refs]}`` to ``results`` and returns it.
    """
    key = after.sign_key
    if not after.scan and key is None:
        return results
    for o in report.outcomes.values():
        if not o.ok:
            continue
        repos = list(dict.fromkeys(split_reference(r)[0] for r in o.references))
        by_digest = [f"{repo}@{o.digest}" for repo in repos] if push and o.digest else []
        entry = results.setdefault(o.name, {})
        if after.scan and not push:
            from dockgen.lifecycle.scan import scan_image

            target = by_digest[0] if by_digest else o.references[0]
            print(f"{o.name}: scanning {target}", file=stderr)
            result = scan_image(target, after.scan_severity, after.scan_ignore_unfixed)
            entry["scan"] = result.to_json()
            if not as_json:
                print(result.summary_table(), file=stderr)
            if result.failed:
                o.status = "failed"
                o.detail = (
                    f"scan gate failed: {len(result.blocking)} vulnerabilities at or above {result.threshold} "
                    f"in {target} (local build)"
                )
                continue
        if key is not None:
            from dockgen.lifecycle.sign import sign_image

            signed = [sign_image(ref, key).reference for ref in by_digest]
            entry["signed"] = signed
            for ref in signed:
                print(f"{o.name}: signed {ref}", file=stderr)
    return results


def report_json(report: RunReport, after: Results | None = None) -> str:
    after = after or {}
    images: list[dict[str, object]] = []
    for o in report.outcomes.values():
        row: dict[str, object] = {
            "image": o.name,
            "status": o.status,
            "references": list(o.references),
            "digest": o.digest,
            "content_hash": o.content_hash,
            "size": o.size,
            "seconds": round(o.seconds, 3),
            "tags_added": o.tags_added,
            "detail": o.detail or None,
        }
        row.update(after.get(o.name, {}))
        images.append(row)
    return json.dumps(
        {
            "ok": report.ok,
            "images": images,
            "rollback": report.rollback,
            "interrupted": interrupt_name(report.interrupted) if report.interrupted else None,
        },
        indent=2,
    )


def run_and_report(req: BuildRequest, stdout: TextIO, stderr: TextIO) -> int:
    """Build (and push) what ``req`` asks for, run the publish gates, print the summary; the exit status."""
    declared, flags, after = req.declared, req.flags, req.after
    options = run_options(flags, push=req.push, push_only=req.push_only, project_dir=declared.project_dir)
    specs = load_specs(declared, flags, stderr, push=req.push)
    results: Results = {}
    from dockgen.imagetest.gate import chain, checks_gate, declared_checks, write_junit

    checked: list[CheckResult] = []
    checks = declared_checks(declared.images) if req.push and after.run_checks else {}
    gate = chain(
        checks_gate(checks, checked, stderr) if checks else None,
        scan_gate(after, flags.json, stderr, results) if req.push and after.scan else None,
    )
    if gate is not None:
        options = replace(options, gate=gate)
    report = Runner(specs, options, stderr).run()
    write_junit(after.junit, checked)
    if report.ok:
        scan_and_sign(report, after, flags.json, stderr, push=req.push, results=results)
    if flags.json:
        print(report_json(report, results), file=stdout)
    elif flags.output == "quiet":
        for o in report.outcomes.values():
            print(f"{o.name} {o.status} {o.digest or '-'}", file=stdout)
    else:
        print(summary_table(report), file=stdout)
    for line in report.rollback:
        print(f"rollback: {line}", file=stderr)
    failed = [o for o in report.outcomes.values() if o.status == "failed"]
    if not flags.json:
        for o in failed:
            print(f"error: {o.detail}", file=stderr)
        for err in report.errors:
            print(f"error: {err}", file=stderr)
    if report.interrupted is not None:
        print(f"interrupted ({interrupt_name(report.interrupted)})", file=stderr)
        return exit_code(report.interrupted)
    return 0 if report.ok else 1
