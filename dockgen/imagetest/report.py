"""Reports of image checks: plain text for people, JUnit XML for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from dockgen.imagetest.engine import CheckResult


def text_report(results: Sequence[CheckResult]) -> list[str]:
    """One line per check (``PASS``/``FAIL``), failures with what was expected and seen."""
    lines: list[str] = []
    for r in results:
        mark = "PASS" if r.passed else "FAIL"
        line = f"{mark} {r.image} [{r.check}] ({r.seconds:.1f}s)"
        if not r.passed:
            line += f"\n    expected: {r.expected}\n    seen:     {r.seen}"
        lines.append(line)
    return lines


def junit_xml(results: Sequence[CheckResult], suite: str = "dockgen image checks") -> str:
    """JUnit XML: one ``<testsuite>`` per image, one ``<testcase>`` per check (``classname`` = image)."""
    root = ET.Element("testsuites", name=suite)
    by_image: dict[str, list[CheckResult]] = {}
    for r in results:
        by_image.setdefault(r.image, []).append(r)
    total_failures = 0
    for image, items in by_image.items():
        failures = sum(1 for r in items if not r.passed)
        total_failures += failures
        ts = ET.SubElement(
            root,
            "testsuite",
            name=image,
            tests=str(len(items)),
            failures=str(failures),
            errors="0",
            time=f"{sum(r.seconds for r in items):.3f}",
        )
        ET.SubElement(ET.SubElement(ts, "properties"), "property", name="reference", value=items[0].reference)
        for r in items:
            case = ET.SubElement(ts, "testcase", classname=image, name=r.check, time=f"{r.seconds:.3f}")
            if not r.passed:
                failure = ET.SubElement(case, "failure", message=f"expected {r.expected}, saw {r.seen}")
                failure.text = (
                    f"image: {r.reference}\ncheck: {r.check}\nexpected: {r.expected}\nseen: {r.seen}\n"
                )
    root.set("tests", str(len(results)))
    root.set("failures", str(total_failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
