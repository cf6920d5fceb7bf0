"""JUnit XML: one test case per finding (failure), and one passing case per clean file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dockgen._static import TYPE_CHECKING
from dockgen.lint.formatters import FormatOptions, display_path

if TYPE_CHECKING:
    from dockgen.lint.engine import LintReport

NAME = "junit"
HELP = "JUnit XML (CI test reports)"


def render(report: LintReport, opts: FormatOptions) -> str:
    findings = report.findings
    clean = [r for r in report.results if not r.findings]
    suites = ET.Element(
        "testsuites", name="dockgen lint", tests=str(len(findings) + len(clean)), failures=str(len(findings))
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="dockgen lint",
        tests=str(len(findings) + len(clean)),
        failures=str(len(findings)),
        errors="0",
        skipped="0",
    )
    for r in report.results:
        path = display_path(r.path, opts.base_dir)
        if not r.findings:
            ET.SubElement(suite, "testcase", name=path, classname="dockgen.lint")
        for f in r.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{f.code} {path}:{f.line}:{f.column}",
                classname=f"dockgen.lint.{f.code}",
                file=path,
                line=str(f.line),
            )
            failure = ET.SubElement(case, "failure", message=f.message, type=str(f.severity))
            failure.text = f"{path}:{f.line}:{f.column} {f.code} ({f.name}) {f.severity}: {f.message}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
