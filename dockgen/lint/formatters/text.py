"""Human-readable text: ``path:line:col CODE severity [*] message`` and a summary line."""

from __future__ import annotations

from dockgen._static import TYPE_CHECKING
from dockgen.lint.formatters import FormatOptions
from dockgen.lint.rule import Finding, Severity

if TYPE_CHECKING:
    from dockgen.lint.engine import LintReport

NAME = "text"
HELP = "one line per finding plus a summary (default)"

_COLORS = {
    Severity.ERROR: "\033[1;31m",
    Severity.WARNING: "\033[33m",
    Severity.INFO: "\033[36m",
    Severity.STYLE: "\033[35m",
}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


def fixable(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and (f.fix.safe or unsafe)


def _plural(n: int, word: str) -> str:
    if word in ("info", "style"):
        return f"{n} {word}"
    return f"{n} {word}" + ("" if n == 1 else ("es" if word.endswith("s") else "s"))


def hadolint_ids(report: LintReport, code: str) -> str:
    """`` (DL3008)``: the hadolint ids of rule ``code``, the ones most users know, or ''."""
    info = report.ruleset.by_code.get(code)
    ids = [e for e in info.equivalents if e.upper().startswith("DL")] if info is not None else []
    return f" ({', '.join(ids)})" if ids else ""


#: ``str(severity)`` (an enum's ``__str__`` is slow next to the dict lookup; a warm re-lint prints thousands)
_SEVERITY_TEXT = {s: str(s) for s in Severity}


def line(f: Finding, opts: FormatOptions, also: str = "") -> str:
    path = f.path or "<input>"
    mark = " [*]" if fixable(f, opts.unsafe_fixes) else ""
    sev = _SEVERITY_TEXT[f.severity]
    if not opts.color:
        return f"{path}:{f.line}:{f.column} {f.code}{also} {sev}{mark} {f.message}"
    c = _COLORS[f.severity]
    return f"{_BOLD}{path}{_RESET}:{f.line}:{f.column} {c}{f.code}{also} {sev}{_RESET}{mark} {f.message}"


def _source_lines(f: Finding, cache: dict[str, list[str] | None]) -> list[str]:
    """The lines of the finding's instruction (at most 3), indented, for ``--show-source``."""
    if f.span is None or not f.path:
        return []
    path = f.span.file if f.span.file and f.span.start < 0 else f.path
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                cache[path] = handle.read().splitlines()
        except OSError:
            cache[path] = None
    text = cache[path]
    if not text:
        return []
    last = min(f.span.end_line if f.span.end_line >= f.line else f.line, f.line + 2, len(text))
    width = len(str(last))
    return [f"  {n:>{width}} | {text[n - 1]}" for n in range(f.line, last + 1) if 0 < n <= len(text)]


def statistics(report: LintReport, opts: FormatOptions) -> list[str]:
    """One line per rule: count, code (hadolint id), fixable mark, name -- most frequent first."""
    counts: dict[str, list[Finding]] = {}
    for f in report.findings:
        counts.setdefault(f.code, []).append(f)
    rows = sorted(counts.items(), key=lambda item: (-len(item[1]), item[0]))
    width = max((len(str(len(fs))) for _, fs in rows), default=1)
    labels = {code: code + hadolint_ids(report, code) for code, _ in rows}
    label_width = max((len(v) for v in labels.values()), default=0)
    out: list[str] = []
    for code, fs in rows:
        mark = "[*]" if any(fixable(f, opts.unsafe_fixes) for f in fs) else "   "
        out.append(f"{len(fs):>{width}}  {labels[code]:<{label_width}} {mark} {fs[0].name}")
    return out


def fix_lines(report: LintReport, opts: FormatOptions) -> list[str]:
    """``--show-fixes``: what ``--fix`` did (or, without it, would do) per file."""
    out: list[str] = []
    for r in report.results:
        if opts.fixing and r.fixes_applied:
            out.append(f"Fixed {_plural(r.fixes_applied, 'problem')} in {r.path}")
        pending = [f for f in r.findings if fixable(f, opts.unsafe_fixes) and f.fix is not None]
        for f in pending:
            assert f.fix is not None
            kind = "" if f.fix.safe else " (unsafe)"
            out.append(f"  {f.path or r.path}:{f.line} {f.code}: {f.fix.description}{kind}")
    return out


def summary(report: LintReport, opts: FormatOptions) -> str:
    findings = report.findings
    files = len(report.results)
    fixed = sum(r.fixes_applied for r in report.results)
    parts: list[str] = []
    if opts.fixing and fixed:
        changed = sum(1 for r in report.results if r.fixes_applied)
        parts.append(f"Fixed {_plural(fixed, 'problem')} in {_plural(changed, 'file')}.")
    if not findings:
        parts.append(f"All clean: {_plural(files, 'file')} checked.")
        return " ".join(parts)
    by_severity: dict[Severity, int] = {}
    for f in findings:
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    counts = {s: by_severity.get(s, 0) for s in reversed(Severity)}
    detail = ", ".join(_plural(n, str(s) if s != Severity.INFO else "info") for s, n in counts.items() if n)
    with_problems = len({f.path for f in findings})
    text = (
        f"Found {_plural(len(findings), 'problem')} ({detail}) in {with_problems} of {_plural(files, 'file')}"
    )
    n_fix = sum(1 for f in findings if fixable(f, opts.unsafe_fixes))
    if n_fix:
        text += f"; {n_fix} fixable with --fix" + (" --unsafe-fixes" if opts.unsafe_fixes else "")
    hidden = sum(1 for f in findings if f.fix is not None and not f.fix.safe) if not opts.unsafe_fixes else 0
    text += "."
    if hidden:
        text += f" ({hidden} more with --unsafe-fixes.)"
    parts.append(text)
    return " ".join(parts)


def render(report: LintReport, opts: FormatOptions) -> str:
    if opts.statistics:
        lines = statistics(report, opts)
    else:
        lines = []
        cache: dict[str, list[str] | None] = {}
        ids: dict[str, str] = {}
        for f in report.findings:
            also = ids.get(f.code)
            if also is None:
                also = ids[f.code] = hadolint_ids(report, f.code)
            lines.append(line(f, opts, also))
            if opts.show_source:
                lines.extend(_source_lines(f, cache))
    if opts.show_fixes:
        lines.extend(fix_lines(report, opts))
    lines.append(summary(report, opts))
    return "\n".join(lines) + "\n"
