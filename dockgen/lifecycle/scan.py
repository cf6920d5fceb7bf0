"""Vulnerability gate with Trivy: run it, read its JSON report, summarise, fail on a severity threshold, SARIF.

::

    from dockgen.lifecycle.scan import scan_image

    result = scan_image("registry.example.com/team/app:1.2.3", threshold="HIGH", ignore_unfixed=True)
    print(result.summary_table())
    if result.failed:
        ...

Trivy is an optional external tool: when ``trivy`` is not on PATH, :class:`ToolMissingError` says how to install
it. The report format read here is Trivy's JSON (``SchemaVersion`` 2): ``Results[].Target/Class/Type`` with
``Vulnerabilities[].VulnerabilityID/PkgName/InstalledVersion/FixedVersion/Severity/Title/PrimaryURL/Status``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockgen.errors import DockgenError, ToolMissingError, UsageError

__all__ = [
    "SEVERITIES",
    "ScanError",
    "ScanResult",
    "Vulnerability",
    "parse_trivy_report",
    "scan_image",
    "to_sarif",
    "trivy_command",
]

SEVERITIES = ("UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL")
"""Trivy's severities, lowest first."""
TRIVY_INSTALL_HINT = (
    "install Trivy (https://trivy.dev/latest/getting-started/installation/): e.g. `brew install trivy`, the "
    "Debian/Ubuntu apt repository https://aquasecurity.github.io/trivy-repo/deb, a release binary from "
    "https://github.com/aquasecurity/trivy/releases, or run the aquasec/trivy container image"
)
_SARIF_LEVEL = {"CRITICAL": "error", "HIGH": "error", "MEDIUM": "warning", "LOW": "note", "UNKNOWN": "note"}


class ScanError(DockgenError):
    """Trivy ran but failed, or its report could not be read."""


@dataclass(frozen=True)
class Vulnerability:
    id: str
    package: str
    installed: str
    fixed: str | None
    severity: str
    title: str
    url: str | None
    status: str | None
    target: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "package": self.package,
            "installed": self.installed,
            "fixed": self.fixed,
            "severity": self.severity,
            "title": self.title,
            "url": self.url,
            "status": self.status,
            "target": self.target,
        }


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def check_severity(value: str) -> str:
    upper = value.upper()
    if upper not in SEVERITIES:
        raise UsageError(f"unknown severity {value!r}", hint=f"use one of {', '.join(SEVERITIES)}")
    return upper


@dataclass
class ScanResult:
    """A scan's findings and the gate's verdict (``failed``: something at or above ``threshold``)."""

    reference: str
    threshold: str
    ignore_unfixed: bool
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    artifact: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(reversed(SEVERITIES), 0)
        for v in self.vulnerabilities:
            out[v.severity if v.severity in out else "UNKNOWN"] += 1
        return out

    @property
    def blocking(self) -> list[Vulnerability]:
        limit = _rank(self.threshold)
        return [v for v in self.vulnerabilities if _rank(v.severity) >= limit]

    @property
    def failed(self) -> bool:
        return bool(self.blocking)

    def top(self, n: int = 10) -> list[Vulnerability]:
        """The most severe first; fixable before unfixable; then by id (stable)."""
        return sorted(
            self.vulnerabilities, key=lambda v: (-_rank(v.severity), v.fixed is None, v.id, v.package)
        )[:n]

    def summary_table(self, top: int = 10) -> str:
        counts = self.counts
        lines = [
            f"{self.reference}: " + ", ".join(f"{k} {n}" for k, n in counts.items()),
            f"gate: {'FAILED' if self.failed else 'passed'} (threshold {self.threshold}"
            + (", unfixed ignored" if self.ignore_unfixed else "")
            + f"; {len(self.blocking)} at or above)",
        ]
        rows = [("SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED", "TITLE")]
        rows += [
            (v.severity, v.id, v.package, v.installed, v.fixed or "-", v.title[:60]) for v in self.top(top)
        ]
        if len(rows) > 1:
            widths = [max(len(r[i]) for r in rows) for i in range(5)]
            lines.append("")
            lines += [
                ("  ".join(c.ljust(widths[i]) for i, c in enumerate(r[:5])) + "  " + r[5]).rstrip()
                for r in rows
            ]
            if len(self.vulnerabilities) > top:
                lines.append(f"... and {len(self.vulnerabilities) - top} more (--json for all)")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "artifact": self.artifact,
            "threshold": self.threshold,
            "ignore_unfixed": self.ignore_unfixed,
            "failed": self.failed,
            "counts": self.counts,
            "vulnerabilities": [v.to_json() for v in self.top(len(self.vulnerabilities))],
        }


def _str(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return str(value) if value not in (None, "") else None


def parse_trivy_report(
    report: Mapping[str, Any] | str | bytes, *, where: str = "trivy report"
) -> tuple[str | None, list[Vulnerability]]:
    """Trivy JSON (SchemaVersion 2) -> (ArtifactName, vulnerabilities). Raises :class:`ScanError` otherwise."""
    if isinstance(report, str | bytes):
        try:
            data: Any = json.loads(report)
        except ValueError as exc:
            raise ScanError(f"{where}: not JSON ({exc})", hint="run trivy with --format json") from None
    else:
        data = report
    if not isinstance(data, dict):
        raise ScanError(f"{where}: expected a JSON object")
    version = data.get("SchemaVersion")
    if version != 2:
        raise ScanError(
            f"{where}: SchemaVersion {version!r} is not supported (dockgen reads Trivy's SchemaVersion 2)",
            hint="upgrade Trivy (0.20 or later writes SchemaVersion 2)",
        )
    results = data.get("Results")
    if results is None:  # a clean image may have no Results at all
        results = []
    if not isinstance(results, list):
        raise ScanError(f"{where}: Results is not a list")
    out: list[Vulnerability] = []
    for result in results:
        if not isinstance(result, dict):
            continue
        target = str(result.get("Target", ""))
        for v in result.get("Vulnerabilities") or []:
            if not isinstance(v, dict) or not v.get("VulnerabilityID"):
                continue
            severity = str(v.get("Severity") or "UNKNOWN").upper()
            out.append(
                Vulnerability(
                    id=str(v["VulnerabilityID"]),
                    package=str(v.get("PkgName") or ""),
                    installed=str(v.get("InstalledVersion") or ""),
                    fixed=_str(v, "FixedVersion"),
                    severity=severity if severity in SEVERITIES else "UNKNOWN",
                    title=str(v.get("Title") or ""),
                    url=_str(v, "PrimaryURL"),
                    status=_str(v, "Status"),
                    target=target,
                )
            )
    artifact = data.get("ArtifactName")
    return (str(artifact) if artifact else None), out


def trivy_command(
    reference: str, *, ignore_unfixed: bool = False, insecure: bool = False, trivy: str = "trivy"
) -> list[str]:
    """The Trivy invocation: every severity is reported (the summary counts them all); the gate is ours."""
    cmd = [trivy, "image", "--format", "json", "--quiet", "--severity", ",".join(SEVERITIES)]
    if ignore_unfixed:
        cmd.append("--ignore-unfixed")
    if insecure:
        cmd.append("--insecure")
    cmd.append(reference)
    return cmd


def scan_image(
    reference: str,
    threshold: str = "HIGH",
    ignore_unfixed: bool = False,
    *,
    insecure: bool = False,
    timeout: float = 900.0,
    env: Mapping[str, str] | None = None,
) -> ScanResult:
    """Scan an image with Trivy; the result says whether the gate fails (it never raises for findings)."""
    level = check_severity(threshold)
    environ = dict(os.environ if env is None else env)
    trivy = shutil.which("trivy", path=environ.get("PATH"))
    if trivy is None:
        raise ToolMissingError("trivy is not installed (needed to scan images)", hint=TRIVY_INSTALL_HINT)
    cmd = trivy_command(reference, ignore_unfixed=ignore_unfixed, insecure=insecure, trivy=trivy)
    try:
        proc = subprocess.run(
            cmd, capture_output=True, timeout=timeout, env=environ, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        raise ScanError(f"trivy did not finish scanning {reference} in {timeout:.0f}s") from None
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise ScanError(
            f"trivy failed scanning {reference} (exit {proc.returncode})"
            + (":\n  " + "\n  ".join(tail) if tail else ""),
            hint="check the reference and registry access (trivy uses your docker credentials); rerun with trivy itself for details",
        )
    artifact, vulns = parse_trivy_report(proc.stdout, where=f"trivy report for {reference}")
    return ScanResult(reference, level, ignore_unfixed, vulns, artifact)


def load_report(path: Path, *, threshold: str = "HIGH", ignore_unfixed: bool = False) -> ScanResult:
    """Gate an existing Trivy JSON report file (``dockgen scan --report FILE``)."""
    level = check_severity(threshold)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    artifact, vulns = parse_trivy_report(raw, where=str(path))
    if ignore_unfixed:
        vulns = [v for v in vulns if v.fixed]
    return ScanResult(artifact or str(path), level, ignore_unfixed, vulns, artifact)


def to_sarif(result: ScanResult, *, tool_version: str | None = None) -> dict[str, Any]:
    """SARIF 2.1.0: one rule per vulnerability id, one result per (id, package, target)."""
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for v in result.top(len(result.vulnerabilities)):
        if v.id not in rules:
            rule: dict[str, Any] = {
                "id": v.id,
                "name": v.id.replace("-", ""),
                "shortDescription": {"text": v.title or v.id},
                "properties": {
                    "security-severity": _security_severity(v.severity),
                    "tags": ["security", "vulnerability"],
                },
                "defaultConfiguration": {"level": _SARIF_LEVEL[v.severity]},
            }
            if v.url:
                rule["helpUri"] = v.url
            rules[v.id] = rule
        fix = f"fixed in {v.fixed}" if v.fixed else "no fix available"
        results.append(
            {
                "ruleId": v.id,
                "ruleIndex": list(rules).index(v.id),
                "level": _SARIF_LEVEL[v.severity],
                "message": {
                    "text": f"{v.severity} {v.id} in {v.package} {v.installed} ({fix}): {v.title}".rstrip(
                        ": "
                    )
                },
                "locations": [
                    {
                        "physicalLocation": {"artifactLocation": {"uri": v.target or result.reference}},
                        "message": {"text": result.reference},
                    }
                ],
            }
        )
    driver: dict[str, Any] = {
        "name": "Trivy",
        "informationUri": "https://trivy.dev/",
        "rules": list(rules.values()),
    }
    if tool_version:
        driver["version"] = tool_version
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def _security_severity(severity: str) -> str:
    """GitHub code scanning reads ``security-severity`` (a CVSS-like score) to rank security alerts."""
    return {"CRITICAL": "9.5", "HIGH": "8.0", "MEDIUM": "5.5", "LOW": "2.0", "UNKNOWN": "0.0"}[severity]
