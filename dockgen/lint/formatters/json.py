"""JSON: ``{"version": 1, "findings": [...], "files": [...], "summary": {...}}``."""

from __future__ import annotations

import json as _json

from dockgen._static import TYPE_CHECKING
from dockgen.lint.docs import rule_url
from dockgen.lint.formatters import FormatOptions
from dockgen.lint.rule import Finding

if TYPE_CHECKING:
    from typing import Any

    from dockgen.lint.engine import LintReport

NAME = "json"
HELP = "a JSON document (findings, files, summary)"


def finding_dict(f: Finding, report: LintReport) -> dict[str, Any]:
    s = f.span
    rule = report.ruleset.by_code.get(f.code)
    return {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": s.end_line if s else f.line,
        "end_column": s.end_col if s else f.column,
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        "source": f.source,
        "fix": None if f.fix is None else {"description": f.fix.description, "safe": f.fix.safe},
        "url": rule_url(rule) if rule is not None else None,
    }


def render(report: LintReport, opts: FormatOptions) -> str:
    findings = report.findings
    doc = {
        "version": 1,
        "findings": [finding_dict(f, report) for f in findings],
        "files": [
            {
                "path": r.path,
                "problems": len(r.findings),
                "parse_error": r.parse_error,
                "fixes_applied": r.fixes_applied,
            }
            for r in report.results
        ],
        "summary": {
            "files": len(report.results),
            "problems": len(findings),
            "by_severity": {
                s: sum(1 for f in findings if str(f.severity) == s)
                for s in ("error", "warning", "info", "style")
            },
            "fixable": sum(1 for f in findings if f.fix is not None and (f.fix.safe or opts.unsafe_fixes)),
            "exit_code": report.exit_code,
        },
    }
    return _json.dumps(doc, indent=2) + "\n"
