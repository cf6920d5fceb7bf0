"""The command line of ``dockgen build``, ``push``, ``plan`` and ``test``: the flags they declare, and the one
place that reads them into the typed requests of :mod:`dockgen.commands._requests`.

Nothing past the ``read_*_request`` functions sees ``argparse.Namespace``; :mod:`dockgen.commands._build_run` runs
the requests.
"""

from __future__ import annotations

import argparse
import os

from dockgen.commands._ci import CIOptions
from dockgen.commands._context import Context
from dockgen.commands._requests import (
    AfterPublish,
    BuildFlags,
    BuildRequest,
    Declared,
    Output,
    PlanRequest,
    TestRequest,
)
from dockgen.errors import UsageError
from dockgen.reference import check_sbom_generator


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
    else:  # a command that does not push (test) reads the same flags, off
        parser.set_defaults(atomic=False, force_moving_tags=False)


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


def _flags(args: argparse.Namespace) -> BuildFlags:
    """The flags of :func:`add_common`, checked (``--jobs``, ``--sbom-generator``)."""
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    sbom_generator = None
    if args.sbom_generator:
        try:
            sbom_generator = check_sbom_generator(args.sbom_generator)
        except ValueError as exc:
            raise UsageError(f"--sbom-generator: {exc}") from None
    output: Output = "json" if args.json else "quiet" if args.quiet else "auto"
    return BuildFlags(
        selected=tuple(args.image),
        version=args.image_version or os.environ.get("DOCKGEN_VERSION"),
        env=args.env,
        platforms=tuple(p.strip() for value in args.platform for p in value.split(",") if p.strip()),
        backend=args.backend,
        builder=args.builder,
        cache=args.cache,
        cache_from=tuple(args.cache_from),
        cache_to=tuple(args.cache_to),
        sbom_generator=sbom_generator,
        ssh=tuple(args.ssh),
        jobs=args.jobs,
        keep_going=args.keep_going,
        no_skip=args.no_skip,
        output=output,
        ci=CIOptions.from_args(args),
        atomic=args.atomic,
        force_moving_tags=args.force_moving_tags,
    )


def _after_publish(args: argparse.Namespace, *, push: bool) -> AfterPublish:
    """The flags of :func:`add_scan_sign`, checked before anything is built (severity, signing key)."""
    severity = args.scan_severity
    if args.scan:
        from dockgen.lifecycle.scan import check_severity

        severity = check_severity(severity)
    key = None
    if args.sign:
        if not push:
            raise UsageError("--sign needs --push: signatures are attached to pushed digests")
        key = args.sign_key or os.environ.get("COSIGN_KEY")
        if not key:
            raise UsageError(
                "--sign needs a key",
                hint="pass --sign-key KEY (a cosign key file or KMS URI) or set COSIGN_KEY",
            )
    return AfterPublish(
        scan=args.scan,
        scan_severity=severity,
        scan_ignore_unfixed=args.scan_ignore_unfixed,
        sign_key=key,
        run_checks=not args.no_test,
        junit=args.junit,
    )


def _declared(ctx: Context) -> Declared:
    return Declared(images=tuple(ctx.images()), build_file=ctx.build_file)


def read_build_request(
    args: argparse.Namespace, ctx: Context, *, push: bool, push_only: bool = False
) -> BuildRequest:
    """``dockgen build`` / ``dockgen push`` as a request: flags checked first, then the build file loaded."""
    flags = _flags(args)
    after = _after_publish(args, push=push)
    return BuildRequest(_declared(ctx), flags, push=push, push_only=push_only, after=after)


def read_plan_request(args: argparse.Namespace, ctx: Context) -> PlanRequest:
    flags = _flags(args)
    return PlanRequest(_declared(ctx), flags, push=args.push, offline=args.offline, bake_file=args.bake_file)


def _references(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, eq, ref = item.partition("=")
        if not eq or not name or not ref:
            raise UsageError(
                f"--reference {item!r}: expected NAME=IMAGE", hint="e.g. --reference web=web:dev"
            )
        out[name] = ref
    return out


def read_test_request(args: argparse.Namespace, ctx: Context) -> TestRequest:
    flags = _flags(args)
    references = _references(args.reference)
    return TestRequest(
        _declared(ctx), flags, references=references, build=args.build, pull=args.pull, junit=args.junit
    )
