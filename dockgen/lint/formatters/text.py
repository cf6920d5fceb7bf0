"""Human-readable text: ``path:line:col CODE severity [*] message`` and a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def line(f: Finding, opts: FormatOptions) -> str:
    path = f.path or "<input>"
    mark = " [*]" if fixable(f, opts.unsafe_fixes) else ""
    sev = str(f.severity)
    if not opts.color:
        return f"{path}:{f.line}:{f.column} {f.code} {sev}{mark} {f.message}"
    c = _COLORS[f.severity]
    return f"{_BOLD}{path}{_RESET}:{f.line}:{f.column} {c}{f.code} {sev}{_RESET}{mark} {f.message}"


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
    counts = {s: sum(1 for f in findings if f.severity == s) for s in reversed(Severity)}
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
    lines = [line(f, opts) for f in report.findings]
    lines.append(summary(report, opts))
    return "\n".join(lines) + "\n"
