"""``dockgen lint [PATHS...]``: lint Dockerfiles and declared images; ``--fix`` rewrites raw Dockerfiles.

With no paths it lints the images declared in the build file (when it exists) *and* every Dockerfile found
under the current directory. ``-`` reads one Dockerfile from standard input (name it with
``--stdin-filename``; with ``--fix`` the fixed text goes to stdout and the findings to stderr).

Exit codes: 0 clean, 1 a finding at or above the failure threshold (or, with ``--diff``, a file would change),
2 usage/config error or an unparseable input (every other file is still reported), 3 a rule crashed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dockgen.commands._context import Context
from dockgen.errors import DockgenError, UsageError
from dockgen.lint.config import THRESHOLDS
from dockgen.lint.engine import FileResult, Linter, LintReport, find_dockerfiles
from dockgen.lint.formatters import FormatOptions, formatter, formatter_names, use_color
from dockgen.lint.rule import Severity

NAME = "lint"
#: Everything ``run`` writes (report, fixed files, cache) is complete when it returns: the console script may
#: end the process without the interpreter's teardown.
QUICK_EXIT = True
HELP = "lint Dockerfiles and declared images (--fix rewrites Dockerfiles with minimal edits)"


def _csv(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or () for v in item.split(",") if v.strip()]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="Dockerfiles or directories; - for stdin")
    sel = parser.add_argument_group("rule selection (codes, code prefixes, names or equivalents like DL3008)")
    sel.add_argument("--select", action="append", metavar="CODES", help="only these rules (replaces config)")
    sel.add_argument("--extend-select", action="append", metavar="CODES", help="add these rules")
    sel.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules")
    sel.add_argument(
        "--severity", action="append", metavar="CODE=LEVEL", help="override a rule's severity (repeatable)"
    )
    sel.add_argument(
        "--failure-threshold",
        choices=THRESHOLDS,
        help="lowest severity that makes the exit code 1 (default: style, i.e. any finding; none: never)",
    )
    sel.add_argument("--config", type=Path, metavar="FILE", help="use this config file for every input")
    out = parser.add_argument_group("output")
    out.add_argument("--format", default="text", choices=formatter_names(), help="output format (text)")
    out.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    out.add_argument(
        "--statistics", action="store_true", help="text: count the findings per rule instead of listing them"
    )
    out.add_argument(
        "--show-fixes", action="store_true", help="text: list the fixes applied (with --fix) or available"
    )
    out.add_argument(
        "--show-source", action="store_true", help="text: print the source line under each finding"
    )
    fix = parser.add_argument_group("fixes")
    fix.add_argument("--fix", action="store_true", help="apply safe fixes to the files in place")
    fix.add_argument("--diff", action="store_true", help="show the fixes as a unified diff; write nothing")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour")
    other = parser.add_argument_group("other")
    other.add_argument(
        "--context", type=Path, metavar="DIR", help="build context (default: the Dockerfile's dir)"
    )
    other.add_argument(
        "--hadolint", action="store_true", default=None, help="also run hadolint and merge findings"
    )
    other.add_argument("--no-hadolint", dest="hadolint", action="store_false", help="do not run hadolint")
    other.add_argument("--stdin-filename", metavar="NAME", help="the name of the Dockerfile read from stdin")
    other.add_argument(
        "--no-cache",
        action="store_true",
        help="lint every file again (default: unchanged files reuse their results from .dockgen_cache/)",
    )
    other.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for many files (default: one per CPU when the batch is large; 1: none)",
    )


def _severities(values: list[str] | None) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    for item in values or ():
        for part in item.split(","):
            code, sep, level = part.partition("=")
            if not sep:
                raise UsageError(f"--severity {part!r}: use CODE=LEVEL", hint="e.g. --severity DG001=error")
            try:
                out[code.strip()] = Severity.parse(level)
            except ValueError as exc:
                raise UsageError(f"--severity {part!r}: {exc}") from None
    return out


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    ov: dict[str, object] = {}
    if args.select:
        ov["select"] = _csv(args.select)
    if args.extend_select:
        ov["extend_select"] = _csv(args.extend_select)
    if args.ignore:
        ov["ignore"] = _csv(args.ignore)
    sev = _severities(args.severity)
    if sev:
        ov["severity"] = sev
    if args.failure_threshold is not None:
        ov["failure_threshold"] = (
            None if args.failure_threshold == "none" else Severity.parse(args.failure_threshold)
        )
    if args.hadolint is not None:
        ov["hadolint"] = args.hadolint
    return ov


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.fix and args.diff:
        raise UsageError("--fix and --diff exclude each other", hint="--diff shows what --fix would write")
    fixing = args.fix or args.diff
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: use a positive number of processes", hint="e.g. --jobs 2")
    linter = Linter(
        config_file=args.config, overrides=_overrides(args), context_dir=args.context, jobs=args.jobs
    )
    if not (args.no_cache or fixing):
        from dockgen._version import __version__
        from dockgen.lint.cache import LintCache, cache_dir

        linter.cache = LintCache(cache_dir(), linter.ruleset.fingerprint(), __version__)
    results: list[FileResult] = []
    stdin_text: str | None = None
    paths = list(args.paths)
    declared = False
    if not paths:
        if ctx.build_file.is_file():
            declared = True
            from dockgen.compile import lint_images

            results.extend(lint_images(ctx.images(), linter=linter, build_file=ctx.build_file).results)
        found = find_dockerfiles(Path("."))
        if not found and not declared:
            raise UsageError(
                "nothing to lint: no build file and no Dockerfile under the current directory",
                hint="pass Dockerfile paths, or run in a project with build_images.py",
            )
        results.extend(linter.lint_paths(found, fix=fixing, unsafe=args.unsafe_fixes, write=args.fix).results)
    else:
        for p in paths:
            if p == "-":
                stdin_text = sys.stdin.read()
                shown = args.stdin_filename or "<stdin>"
                cfg_path = Path(args.stdin_filename) if args.stdin_filename else Path.cwd() / "Dockerfile"
                if fixing:
                    r = linter.fix_text(stdin_text, shown, config_path=cfg_path, unsafe=args.unsafe_fixes)
                else:
                    r = linter.lint_text(stdin_text, shown, config_path=cfg_path)
                results.append(r)
                continue
            path = Path(p)
            if not path.exists():
                raise UsageError(f"{p}: no such file or directory")
            files = find_dockerfiles(path) if path.is_dir() else [path]
            if not files:
                raise UsageError(
                    f"{p}: no Dockerfile under this directory",
                    hint="pass the Dockerfile itself (any name), or a directory that holds one",
                )
            report_part = linter.lint_paths(files, fix=fixing, unsafe=args.unsafe_fixes, write=args.fix)
            results.extend(report_part.results)
    report = LintReport(results, linter.ruleset)
    force = bool(args.hadolint)
    if force or any(r.hadolint for r in results):
        linter.add_hadolint(report, stdin_text=stdin_text, force=force)

    if args.diff:
        return _diff(report, ctx)
    if args.fix and stdin_text is not None:
        r = next(r for r in results if r.old_text is not None or r.path == (args.stdin_filename or "<stdin>"))
        ctx.stdout.write(r.new_text if r.new_text is not None else stdin_text)
        stream = ctx.stderr
    else:
        stream = ctx.stdout
    opts = FormatOptions(
        color=args.output is None and args.format == "text" and use_color(stream),
        unsafe_fixes=args.unsafe_fixes,
        fixing=args.fix,
        statistics=args.statistics,
        show_fixes=args.show_fixes,
        show_source=args.show_source,
    )
    text = formatter(args.format).render(report, opts)
    if args.output is not None:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DockgenError(
                f"-o {args.output}: cannot write the report ({exc.strerror})",
                hint="choose a writable file path",
            ) from None
        if args.format != "text":
            from dockgen.lint.formatters.text import summary

            ctx.stderr.write(
                summary(report, FormatOptions(unsafe_fixes=args.unsafe_fixes, fixing=args.fix)) + "\n"
            )
    else:
        stream.write(text)
    return report.exit_code


def _diff(report: LintReport, ctx: Context) -> int:
    from dockgen.lint.fix import unified_diff

    changed = [r for r in report.results if r.new_text is not None and r.old_text is not None]
    for r in changed:
        assert r.new_text is not None and r.old_text is not None
        ctx.stdout.write(unified_diff(r.path, r.old_text, r.new_text))
    fixes = sum(r.fixes_applied for r in changed)
    for r in report.results:
        for f in r.findings:
            if f.code in ("PARSE", "INTERNAL"):
                ctx.stderr.write(f"{f.path}:{f.line}:{f.column} {f.code} {f.message}\n")
    if changed:
        ctx.stderr.write(
            f"Would fix {fixes} problem{'s' if fixes != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}.\n"
        )
    else:
        ctx.stderr.write("No fixes to apply.\n")
    code = report.exit_code
    if code in (2, 3):
        return code
    return 1 if changed else 0
