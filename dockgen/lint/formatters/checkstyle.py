"""Checkstyle XML (``<checkstyle><file name=...><error .../></file></checkstyle>``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dockgen._static import TYPE_CHECKING
from dockgen.lint.formatters import FormatOptions, display_path
from dockgen.lint.rule import Severity

if TYPE_CHECKING:
    from dockgen.lint.engine import LintReport

NAME = "checkstyle"
HELP = "Checkstyle XML"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info", Severity.STYLE: "info"}


def render(report: LintReport, opts: FormatOptions) -> str:
    root = ET.Element("checkstyle", version="4.3")
    for r in report.results:
        file_el = ET.SubElement(root, "file", name=display_path(r.path, opts.base_dir))
        for f in r.findings:
            ET.SubElement(
                file_el,
                "error",
                line=str(f.line),
                column=str(f.column),
                severity=_LEVEL[f.severity],
                message=f"{f.message} ({f.name})",
                source=f"dockgen.{f.code}",
            )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
