"""Shared argument handling for ``dockgen build``, ``dockgen push`` and ``dockgen plan``."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from dockgen.builders.adapter import image_repositories, specs_from_images, tag_context
from dockgen.builders.config import apply_cache, apply_sbom_generator, load_build_config
from dockgen.builders.runner import BuildOptions, Runner, RunReport, summary_table
from dockgen.builders.spec import BuildSpec
from dockgen.errors import BuildError, DockgenError, RegistryError, UsageError
from dockgen.interrupts import exit_code, interrupt_name
from dockgen.reference import check_sbom_generator, split_reference, split_repository


def add_common(parser: argparse.ArgumentParser, *, push_flags: bool = True) -> None:
    parser.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="NAME",
        help="only this image (and what it builds FROM); repeatable",
    )
    parser.add_argument(
        "--version",
        dest="image_version",
        default=None,
        help="version to tag (default: from git / the declaration)",
    )
    parser.add_argument("--env", default=None, help="environment suffix for tags (e.g. prod, staging)")
    parser.add_argument(
        "--platform",
        action="append",
        default=[],
        metavar="OS/ARCH",
        help="override platforms (repeatable or comma-separated)",
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "buildx", "engine"),
        default="auto",
        help="builder backend (default: buildx when available)",
    )
    parser.add_argument(
        "--builder", default=None, help="buildx builder name (docker-container, kubernetes, remote...)"
    )
    cache = parser.add_argument_group("registry cache (buildx)")
    cache.add_argument(
        "--cache",
        choices=("registry", "none"),
        default=None,
        help="registry: read <repo>:buildcache as cache and write it (mode=max) when pushing "
        "(default: [tool.dockgen.build] cache, else none)",
    )
    cache.add_argument(
        "--cache-from",
        action="append",
        default=[],
        metavar="SPEC",
        help="buildx --cache-from for every image, e.g. type=registry,ref={repo}:cache; repeatable",
    )
    cache.add_argument(
        "--cache-to",
        action="append",
        default=[],
        metavar="SPEC",
        help="buildx --cache-to for every image, e.g. type=registry,ref={repo}:cache,mode=max; repeatable",
    )
    parser.add_argument(
        "--sbom-generator",
        default=None,
        metavar="IMAGE",
        help="SBOM generator image for images declaring Attestations(sbom=True) "
        "(default: [tool.dockgen.build] sbom-generator, else BuildKit's own from Docker Hub)",
    )
    parser.add_argument(
        "--ssh",
        action="append",
        default=[],
        metavar="ID[=SOCKET|KEY]",
        help="forward an ssh agent to RUN --mount=type=ssh (buildx --ssh), e.g. --ssh default; repeatable",
    )
    parser.add_argument("--jobs", "-j", type=int, default=2, help="images built in parallel (default 2)")
    parser.add_argument(
        "--keep-going", action="store_true", help="build the images that do not depend on a failed one"
    )
    parser.add_argument(
        "--no-skip", action="store_true", help="build even when the registry already has this content"
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--quiet", "-q", action="store_true", help="print only failures and the digests")
    out.add_argument(
        "--json", action="store_true", help="JSON events on stderr, one per line; JSON summary on stdout"
    )
    from dockgen.commands._ci import add_ci_flags

    add_ci_flags(parser)
    if push_flags:
        parser.add_argument(
            "--atomic", action="store_true", help="push only when every image built; all tags or none"
        )
        parser.add_argument(
            "--force-moving-tags",
            action="store_true",
            help="when a repository's tags cannot be read, move 'latest' and the short version tags anyway "
            "(default: stop, so they never move backwards)",
        )


def add_scan_sign(parser: argparse.ArgumentParser) -> None:
    """``--scan`` (Trivy gate) and ``--sign`` (cosign), run after the push, by digest."""
    gate = parser.add_argument_group("after publishing (by digest)")
    gate.add_argument(
        "--scan", action="store_true", help="scan every image with Trivy; exit 1 when the gate fails"
    )
    gate.add_argument(
        "--scan-severity",
        default="HIGH",
        metavar="LEVEL",
        help="lowest severity that fails the gate: UNKNOWN, LOW, MEDIUM, HIGH (default), CRITICAL",
    )
    gate.add_argument(
        "--scan-ignore-unfixed", action="store_true", help="vulnerabilities without a fix do not count"
    )
    gate.add_argument(
        "--sign", action="store_true", help="sign every pushed digest with cosign (after a passed scan)"
    )
    gate.add_argument(
        "--sign-key",
        default=None,
        metavar="KEY",
        help="cosign key file or KMS URI (default: $COSIGN_KEY); COSIGN_PASSWORD stays in the environment",
    )
    from dockgen.imagetest.gate import add_test_flags

    add_test_flags(parser)


def _post_checks(args: argparse.Namespace, push: bool) -> str | None:
    """The signing key to use (validated early, before anything is built), or None when not signing."""
    if getattr(args, "scan", False):
        from dockgen.lifecycle.scan import check_severity

        args.scan_severity = check_severity(args.scan_severity)
    if not getattr(args, "sign", False):
        return None
    if not push:
        raise UsageError("--sign needs --push: signatures are attached to pushed digests")
    key = args.sign_key or os.environ.get("COSIGN_KEY")
    if not key:
        raise UsageError(
            "--sign needs a key", hint="pass --sign-key KEY (a cosign key file or KMS URI) or set COSIGN_KEY"
        )
    return key


def scan_gate(
    args: argparse.Namespace, ctx: Any, results: dict[str, dict[str, Any]]
) -> Callable[[str, str], None]:
    """The ``--push --scan`` gate: scan the pushed content by digest before any tag is added.

    An image that fails the gate keeps only its internal ``content-<hash>`` tag: none of its version tags is
    published (and it is not signed).
    """
    from dockgen.lifecycle.scan import scan_image

    def gate(name: str, by_digest: str) -> None:
        print(f"{name}: scanning {by_digest}", file=ctx.stderr)
        result = scan_image(by_digest, args.scan_severity, args.scan_ignore_unfixed)
        results.setdefault(name, {})["scan"] = result.to_json()
        if not args.json:
            print(result.summary_table(), file=ctx.stderr)
        if result.failed:
            raise BuildError(
                f"image {name!r}: scan gate failed: {len(result.blocking)} vulnerabilities at or above "
                f"{result.threshold} in {by_digest}; no tag was published",
                hint="fix or upgrade the vulnerable packages, or adjust --scan-severity / --scan-ignore-unfixed",
            )

    return gate


def scan_and_sign(
    report: RunReport,
    args: argparse.Namespace,
    ctx: Any,
    *,
    push: bool,
    key: str | None,
    results: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """After the run: sign every pushed image by digest; scan local builds (pushed ones were scanned by the
    gate before their tags were added).

    Returns per image ``{"scan": ScanResult.to_json(), "signed": [refs]}``.
    """
    results = results if results is not None else {}
    if not getattr(args, "scan", False) and key is None:
        return results
    for o in report.outcomes.values():
        if not o.ok:
            continue
        repos = list(dict.fromkeys(split_reference(r)[0] for r in o.references))
        by_digest = [f"{repo}@{o.digest}" for repo in repos] if push and o.digest else []
        entry: dict[str, Any] = results.setdefault(o.name, {})
        if args.scan and not push:
            from dockgen.lifecycle.scan import scan_image

            target = by_digest[0] if by_digest else o.references[0]
            print(f"{o.name}: scanning {target}", file=ctx.stderr)
            result = scan_image(target, args.scan_severity, args.scan_ignore_unfixed)
            entry["scan"] = result.to_json()
            if not args.json:
                print(result.summary_table(), file=ctx.stderr)
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
                print(f"{o.name}: signed {ref}", file=ctx.stderr)
    return results


def options_from(
    args: argparse.Namespace, *, push: bool, push_only: bool = False, project_dir: Path | None = None
) -> BuildOptions:
    """The run options from the command line; ``--builder`` defaults to the configured ``builder`` of the
    project in ``project_dir`` (not for ``--backend engine``, which has no builders)."""
    builder = args.builder
    if builder is None and project_dir is not None and args.backend != "engine":
        builder = load_build_config(project_dir).builder
    platforms = tuple(p.strip() for value in args.platform for p in value.split(",") if p.strip())
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    progress = "json" if args.json else "quiet" if args.quiet else "auto"
    return BuildOptions(
        push=push,
        atomic=bool(getattr(args, "atomic", False)),
        jobs=args.jobs,
        keep_going=args.keep_going,
        backend=args.backend,
        builder=builder,
        platforms=platforms,
        images=tuple(args.image),
        no_skip=args.no_skip,
        progress=progress,
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


def _selected(
    images: list[Any], args: argparse.Namespace, project_dir: Path, version: str | None, source: str
) -> set[str]:
    """Names of the images a run with ``--image`` builds: the selected ones and their dependencies."""
    names = {i.name for i in images}
    if not getattr(args, "image", None):
        return names
    from dockgen.builders.graph import resolve_dependencies, select

    draft = specs_from_images(images, project_dir=project_dir, version=version, env=args.env, source=source)
    return {s.name for s in select(resolve_dependencies(draft), args.image)}


def load_specs(
    args: argparse.Namespace, ctx: Any, *, push: bool = False, offline: bool = False
) -> list[BuildSpec]:
    """The images of the build file as build specs, tagged as ``dockgen tags`` tags them.

    When pushing (and not ``offline``), the tags already in each target repository are read first so
    ``latest`` and the short version tags never move backwards.
    """
    version = args.image_version or os.environ.get("DOCKGEN_VERSION")
    project_dir = Path(ctx.project_dir)
    images = ctx.images()
    tags = tag_context(project_dir)
    from dockgen.commands._ci import ci_from_args

    tags.ci, tags.ci_policy = ci_from_args(args, project_dir)
    if tags.ci is not None:
        print(f"CI: {tags.ci.describe()}", file=ctx.stderr)
    if push and not offline:
        # Only the repositories this run pushes to: the selected images (--image) and what they build FROM.
        pushed = _selected(images, args, project_dir, version, ctx.build_file.name)
        tags.existing = existing_tags(
            [r for i in images if i.name in pushed for r in image_repositories(i)],
            ctx.stderr,
            force=bool(getattr(args, "force_moving_tags", False)),
        )
    specs = specs_from_images(
        images,
        project_dir=project_dir,
        version=version,
        env=args.env,
        source=ctx.build_file.name,
        tags=tags,
    )
    config = load_build_config(project_dir)
    mode = args.cache or config.cache
    if args.cache is None and mode != "none" and args.backend == "engine":
        mode = "none"  # the configured default cannot apply to the classic builder
    if args.ssh:
        specs = [replace(s, ssh=tuple(dict.fromkeys((*s.ssh, *args.ssh)))) for s in specs]
    generator = config.sbom_generator
    if getattr(args, "sbom_generator", None):
        try:
            generator = check_sbom_generator(args.sbom_generator)
        except ValueError as exc:
            raise UsageError(f"--sbom-generator: {exc}") from None
    specs = apply_sbom_generator(specs, generator)
    return apply_cache(
        specs,
        mode=mode,
        cache_tag=config.cache_tag,
        cache_from=args.cache_from,
        cache_to=args.cache_to,
        push=push,
    )


def report_json(report: RunReport, after: dict[str, dict[str, Any]] | None = None) -> str:
    after = after or {}
    return json.dumps(
        {
            "ok": report.ok,
            "images": [
                {
                    "image": o.name,
                    "status": o.status,
                    "references": list(o.references),
                    "digest": o.digest,
                    "content_hash": o.content_hash,
                    "size": o.size,
                    "seconds": round(o.seconds, 3),
                    "tags_added": o.tags_added,
                    "detail": o.detail or None,
                    **after.get(o.name, {}),
                }
                for o in report.outcomes.values()
            ],
            "rollback": report.rollback,
            "interrupted": interrupt_name(report.interrupted) if report.interrupted else None,
        },
        indent=2,
    )


def run_and_report(specs: list[BuildSpec], options: BuildOptions, args: argparse.Namespace, ctx: Any) -> int:
    key = _post_checks(args, options.push)
    results: dict[str, dict[str, Any]] = {}
    from dockgen.imagetest.gate import chain, checks_gate, declared_checks, write_junit

    checked: list[Any] = []
    checks = declared_checks(ctx.images()) if options.push and not getattr(args, "no_test", False) else {}
    gate = chain(
        checks_gate(checks, checked, ctx.stderr) if checks else None,
        scan_gate(args, ctx, results) if options.push and getattr(args, "scan", False) else None,
    )
    if gate is not None:
        options = replace(options, gate=gate)
    runner = Runner(specs, options, ctx.stderr)
    report = runner.run()
    write_junit(getattr(args, "junit", None), checked)
    after = (
        scan_and_sign(report, args, ctx, push=options.push, key=key, results=results)
        if report.ok
        else results
    )
    if args.json:
        print(report_json(report, after), file=ctx.stdout)
    elif args.quiet:
        for o in report.outcomes.values():
            print(f"{o.name} {o.status} {o.digest or '-'}", file=ctx.stdout)
    else:
        print(summary_table(report), file=ctx.stdout)
    for line in report.rollback:
        print(f"rollback: {line}", file=ctx.stderr)
    failed = [o for o in report.outcomes.values() if o.status == "failed"]
    if not args.json:
        for o in failed:
            print(f"error: {o.detail}", file=ctx.stderr)
        for err in report.errors:
            print(f"error: {err}", file=ctx.stderr)
    if report.interrupted is not None:
        print(f"interrupted ({interrupt_name(report.interrupted)})", file=ctx.stderr)
        return exit_code(report.interrupted)
    return 0 if report.ok else 1
