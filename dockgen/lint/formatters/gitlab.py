"""GitLab code quality report (a JSON array; fingerprints are stable hashes, not line based)."""

from __future__ import annotations

import hashlib
import json

from dockgen._static import TYPE_CHECKING
from dockgen.lint.formatters import FormatOptions, display_path
from dockgen.lint.rule import Severity

if TYPE_CHECKING:
    from typing import Any

    from dockgen.lint.engine import LintReport

NAME = "gitlab"
HELP = "GitLab code quality JSON"

_LEVEL = {
    Severity.ERROR: "critical",
    Severity.WARNING: "major",
    Severity.INFO: "minor",
    Severity.STYLE: "info",
}


def render(report: LintReport, opts: FormatOptions) -> str:
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for f in report.findings:
        path = display_path(f.path or "Dockerfile", opts.base_dir)
        base = f"{f.code}\0{path}\0{f.message}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        fingerprint = hashlib.sha256(f"{base}\0{n}".encode("utf-8", "surrogateescape")).hexdigest()[:32]
        out.append(
            {
                "description": f"{f.code}: {f.message}",
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": _LEVEL[f.severity],
                "location": {"path": path, "lines": {"begin": f.line}},
            }
        )
    return json.dumps(out, indent=2) + "\n"
