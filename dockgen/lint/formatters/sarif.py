"""SARIF 2.1.0 (for GitHub code scanning and other SARIF consumers), with full rule metadata."""

from __future__ import annotations

import json

from dockgen._static import TYPE_CHECKING
from dockgen.lint.docs import parse_doc, rule_url, rules_doc_url
from dockgen.lint.formatters import FormatOptions, display_path
from dockgen.lint.rule import Finding, FixAvailability, Rule, Severity

if TYPE_CHECKING:
    from typing import Any

    from dockgen.lint.engine import LintReport

NAME = "sarif"
HELP = "SARIF 2.1.0 JSON (GitHub code scanning)"

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.STYLE: "note"}


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-") if part)


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    doc = parse_doc(rule)
    full = doc.sections.get("What it does", "").strip() or doc.short
    why = doc.sections.get("Why is this bad?", "").strip()
    tags = ["dockerfile", str(rule.severity)]
    if rule.fix_availability is not FixAvailability.NEVER:
        tags.append("fixable")
    tags.extend(rule.equivalents)
    return {
        "id": rule.code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": doc.short or rule.message},
        "fullDescription": {"text": " ".join(full.split())},
        **({"helpUri": url} if (url := rule_url(rule)) else {}),
        "help": {"text": f"{full}\n\n{why}".strip(), "markdown": doc.text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.enabled_by_default},
        "properties": {"tags": tags},
    }


def _other_descriptor(f: Finding) -> dict[str, Any]:
    uri: str | None
    if f.source == "hadolint":
        uri = (
            f"https://www.shellcheck.net/wiki/{f.code}"
            if f.code.startswith("SC")
            else f"https://github.com/hadolint/hadolint/wiki/{f.code}"
        )
    else:
        uri = rules_doc_url()
    return {
        "id": f.code,
        "name": _pascal(f.name or f.code),
        "shortDescription": {"text": f.name or f.code},
        "fullDescription": {"text": f.name or f.code},
        **({"helpUri": uri} if uri else {}),
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {"tags": ["dockerfile", f.source]},
    }


def _region(f: Finding) -> dict[str, int]:
    region = {"startLine": max(1, f.line), "startColumn": max(1, f.column)}
    s = f.span
    if s is not None and (s.end_line, s.end_col) > (s.start_line, s.start_col):
        region["endLine"] = s.end_line
        region["endColumn"] = s.end_col
    return region


def build(report: LintReport, opts: FormatOptions) -> dict[str, Any]:
    from dockgen._version import __version__

    descriptors: list[dict[str, Any]] = [rule_descriptor(r) for r in report.ruleset]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []
    for f in report.findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(_other_descriptor(f))
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": display_path(f.path or "Dockerfile", opts.base_dir)},
                        "region": _region(f),
                    }
                }
            ],
        }
        if f.fix is not None:
            result["properties"] = {"fix": f.fix.description, "fixSafe": f.fix.safe}
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dockgen",
                "version": __version__,
                "semanticVersion": __version__,
                **({"informationUri": info} if (info := rules_doc_url()) else {}),
                "rules": descriptors,
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: LintReport, opts: FormatOptions) -> str:
    return json.dumps(build(report, opts), indent=2) + "\n"
