"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...,title=...::message``."""

from __future__ import annotations

from dockgen._static import TYPE_CHECKING
from dockgen.lint.formatters import FormatOptions, display_path
from dockgen.lint.rule import Severity

if TYPE_CHECKING:
    from dockgen.lint.engine import LintReport

NAME = "github"
HELP = "GitHub Actions annotations"

_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.STYLE: "notice",
}


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: LintReport, opts: FormatOptions) -> str:
    out: list[str] = []
    for f in report.findings:
        props = [
            f"file={escape_property(display_path(f.path or 'Dockerfile', opts.base_dir))}",
            f"line={f.line}",
            f"col={f.column}",
        ]
        s = f.span
        if s is not None and s.end_line > s.start_line:
            props.append(f"endLine={s.end_line}")
        props.append(f"title={escape_property(f'{f.code} {f.name}')}")
        out.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{escape_data(f.message)}")
    return "".join(line + "\n" for line in out)
