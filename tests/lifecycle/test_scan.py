"""Trivy gate: report parsing on hand-written SchemaVersion 2 reports, SARIF validated against the SARIF 2.1.0
schema, and the subprocess path through a fake ``trivy`` on PATH (tests our invocation, not Trivy)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from dockgen.cli import main
from dockgen.errors import ToolMissingError
from dockgen.lifecycle.scan import ScanError, load_report, parse_trivy_report, scan_image, to_sarif
from tests.lifecycle.conftest import DATA
from tests.lifecycle.fakes import calls, install

REPORT = DATA / "trivy-report.json"
SARIF_SCHEMA = Path(__file__).parents[1] / "lint" / "data" / "sarif-schema-2.1.0.json"


def test_parse_report() -> None:
    artifact, vulns = parse_trivy_report(REPORT.read_text())
    assert artifact == "registry.example.com/team/app:1.2.3"
    assert [(v.id, v.severity, v.fixed) for v in vulns] == [
        ("CVE-2024-0001", "CRITICAL", "1.0-1+deb12u1"),
        ("CVE-2024-0002", "HIGH", None),
        ("CVE-2023-1234", "MEDIUM", "1:1.2.13.dfsg-1+deb12u1"),
        ("CVE-2022-9999", "LOW", None),
        ("TEMP-0841856-B18BAF", "UNKNOWN", None),
        ("CVE-2024-35195", "MEDIUM", "2.32.0"),
    ]
    assert vulns[-1].target.endswith("METADATA") and vulns[0].status == "fixed"


@pytest.mark.parametrize(
    ("threshold", "ignore_unfixed", "failed", "blocking"),
    [
        ("CRITICAL", False, True, 1),
        ("HIGH", False, True, 2),
        ("HIGH", True, True, 1),
        ("MEDIUM", True, True, 3),
        ("LOW", False, True, 5),
        ("UNKNOWN", False, True, 6),
    ],
)
def test_gate(threshold: str, ignore_unfixed: bool, failed: bool, blocking: int) -> None:
    result = load_report(REPORT, threshold=threshold, ignore_unfixed=ignore_unfixed)
    assert result.failed is failed and len(result.blocking) == blocking


def test_clean_report_passes() -> None:
    result = load_report(DATA / "trivy-report-clean.json", threshold="LOW")
    assert not result.failed and result.counts == dict.fromkeys(
        ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"], 0
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ((DATA / "trivy-report-schema1.json").read_text(), "expected a JSON object"),
        ('{"SchemaVersion": 1, "Results": []}', "SchemaVersion 1 is not supported"),
        ("not json", "not JSON"),
        ('{"SchemaVersion": 2, "Results": {}}', "Results is not a list"),
    ],
    ids=["schema1-list", "schema1", "garbage", "bad-results"],
)
def test_bad_reports(text: str, message: str) -> None:
    with pytest.raises(ScanError, match=message):
        parse_trivy_report(text)


def test_summary_table() -> None:
    table = load_report(REPORT, threshold="HIGH").summary_table(top=3)
    lines = table.splitlines()
    assert lines[0] == "registry.example.com/team/app:1.2.3: CRITICAL 1, HIGH 1, MEDIUM 2, LOW 1, UNKNOWN 1"
    assert lines[1] == "gate: FAILED (threshold HIGH; 2 at or above)"
    assert lines[3].split() == ["SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED", "TITLE"]
    assert lines[4].split()[:5] == ["CRITICAL", "CVE-2024-0001", "libexample1", "1.0-1", "1.0-1+deb12u1"]
    assert lines[5].split()[:5] == ["HIGH", "CVE-2024-0002", "libexample1", "1.0-1", "-"]
    assert lines[6].split()[1] == "CVE-2023-1234"  # MEDIUM: sorted by id among equals
    assert lines[-1] == "... and 3 more (--json for all)"


def test_sarif_is_valid_2_1_0() -> None:
    sarif = to_sarif(load_report(REPORT))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    run = sarif["runs"][0]
    assert len(run["results"]) == 6 and len(run["tool"]["driver"]["rules"]) == 6
    first = run["results"][0]
    assert first["ruleId"] == "CVE-2024-0001" and first["level"] == "error"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "CVE-2024-0001"


@pytest.fixture
def fake_trivy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    install(bin_dir, "trivy")
    log = tmp_path / "trivy.log"
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("FAKE_TRIVY_REPORT", str(REPORT))
    return log


def test_scan_runs_trivy(fake_trivy: Path) -> None:
    result = scan_image("registry.example.com/team/app:1.2.3", "critical", ignore_unfixed=True)
    assert result.failed and result.threshold == "CRITICAL"
    (call,) = calls(fake_trivy)
    assert call["argv"] == [
        "image", "--format", "json", "--quiet", "--severity", "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL",
        "--ignore-unfixed", "registry.example.com/team/app:1.2.3",
    ]  # fmt: skip


def test_scan_command_exit_codes_and_formats(
    fake_trivy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv=["scan", "r.example/app:1", "--severity", "critical"]) == 1
    assert "gate: FAILED" in capsys.readouterr().out
    out = tmp_path / "scan.sarif"
    assert main(argv=["scan", "r.example/app:1", "--format", "sarif", "-o", str(out)]) == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    capsys.readouterr()
    assert main(argv=["scan", "--report", str(DATA / "trivy-report-clean.json"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["failed"] is False


def test_trivy_failure_is_reported(
    fake_trivy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKE_EXIT", "1")
    assert main(argv=["scan", "r.example/missing:1"]) == 1
    err = capsys.readouterr().err
    assert "trivy failed scanning r.example/missing:1 (exit 1)" in err
    assert "unable to find the specified image" in err


def test_trivy_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError, match="trivy is not installed"):
        scan_image("r.example/app:1")
    assert main(argv=["scan", "r.example/app:1"]) == 1
    assert "https://trivy.dev/latest/getting-started/installation/" in capsys.readouterr().err
