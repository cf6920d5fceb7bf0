from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from dockgen.ir import Span
from dockgen.lint.config import LintConfig
from dockgen.lint.engine import FileResult, Linter, LintReport
from dockgen.lint.formatters import FormatOptions, formatter_names, formatters, use_color
from dockgen.lint.formatters.github import escape_data, escape_property
from dockgen.lint.registry import RuleSet
from dockgen.lint.rule import Finding, Severity

ROOT = Path(__file__).resolve().parents[2]

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
BAD = 'FROM debian:12\nWORKDIR app\nRUN apt-get install curl\nCMD a b\nCMD ["x"]\nMAINTAINER me\n'


@pytest.fixture
def report(
    ruleset: RuleSet, all_on: LintConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> LintReport:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(BAD)
    (tmp_path / "Dockerfile").write_text('FROM a\nCMD ["ok"]\n')
    (tmp_path / "broken.Dockerfile").write_text("FROM a\nSHELL nope\n")
    return Linter(ruleset, config=all_on).lint_paths(
        [Path("svc/Dockerfile"), Path("Dockerfile"), Path("broken.Dockerfile")]
    )


def render(name: str, report: LintReport, **kw: bool) -> str:
    return formatters()[name].render(report, FormatOptions(**kw))


def test_all_formats_are_discovered() -> None:
    assert set(formatters()) == {"text", "json", "sarif", "github", "junit", "checkstyle", "gitlab"}
    assert formatter_names() == sorted(formatters())  # --format choices are listed without importing


def test_text(report: LintReport) -> None:
    out = render("text", report).splitlines()
    # the hadolint ids of a rule follow its code
    assert out[0] == "svc/Dockerfile:2:1 DG903 (DL3000) info relative WORKDIR"
    assert out[1] == "svc/Dockerfile:3:1 DG901 (DL3014) warning [*] apt-get install without -y"
    assert any(line.startswith("broken.Dockerfile:2:1 PARSE error cannot lint:") for line in out)
    assert out[-1] == (
        "Found 6 problems (2 errors, 2 warnings, 1 info, 1 style) in 2 of 3 files; "
        "3 fixable with --fix. (1 more with --unsafe-fixes.)"
    )
    assert "\033[" not in "\n".join(out)


def test_text_colour_and_unsafe(report: LintReport) -> None:
    out = render("text", report, color=True, unsafe_fixes=True)
    assert "\033[33mDG901 (DL3014) warning\033[0m [*]" in out
    assert out.rstrip().endswith("4 fixable with --fix --unsafe-fixes.")


def test_text_clean() -> None:
    rep = LintReport([FileResult("Dockerfile")], RuleSet(()))
    assert render("text", rep) == "All clean: 1 file checked.\n"


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ],
    ids=["tty", "pipe", "no-color", "force-color", "no-color-wins"],
)
def test_use_color(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, expected: bool) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)

    class Stream:
        def isatty(self) -> bool:
            return tty

    assert use_color(Stream()) is expected  # type: ignore[arg-type]


def test_json(report: LintReport) -> None:
    doc = json.loads(render("json", report))
    assert doc["summary"]["problems"] == 6 and doc["summary"]["exit_code"] == 2
    first = doc["findings"][0]
    assert first == {
        "path": "svc/Dockerfile",
        "line": 2,
        "column": 1,
        "end_line": 2,
        "end_column": 12,
        "code": "DG903",
        "name": "test-relative-workdir",
        "severity": "info",
        "message": "relative WORKDIR",
        "source": "dockgen",
        "fix": None,
        "url": (ROOT / "docs" / "rules.md").as_uri() + "#dg903",  # the reference shipped with dockgen
    }
    assert [f["parse_error"] for f in doc["files"]] == [False, False, True]


def test_sarif_is_valid_and_carries_rule_metadata(report: LintReport) -> None:
    doc = json.loads(render("sarif", report))
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    dg901 = rules["DG901"]
    assert dg901["name"] == "TestAptWithoutYes"
    assert dg901["shortDescription"]["text"] == "Flags `apt-get install` without `-y`."
    assert dg901["helpUri"].endswith("#dg901")
    assert dg901["defaultConfiguration"]["level"] == "warning"
    assert "DL3014" in dg901["properties"]["tags"]
    assert "PARSE" in rules
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert not res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/")
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["DG902"] == "error" and levels["DG903"] == "note"


def test_sarif_empty_report_is_valid() -> None:
    doc = json.loads(render("sarif", LintReport([], RuleSet(()))))
    jsonschema.Draft4Validator(SCHEMA).validate(doc)


def test_sarif_validation_catches_breakage(report: LintReport) -> None:
    doc = json.loads(render("sarif", report))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(doc)


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100% done", "100%25 done", "100%25 done"),
        ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_annotations(report: LintReport) -> None:
    lines = render("github", report).splitlines()
    assert (
        lines[0]
        == "::notice file=svc/Dockerfile,line=2,col=1,title=DG903 test-relative-workdir::relative WORKDIR"
    )
    assert lines[1].startswith(
        "::warning file=svc/Dockerfile,line=3,col=1,title=DG901 test-apt-without-yes::"
    )
    f = Finding("DG999", "x", "50% of\nit", Severity.ERROR, Span("a,b:c", 4, 6, 2, 3), path="a,b:c")
    out = formatters()["github"].render(LintReport([FileResult("a,b:c", [f])], RuleSet(())), FormatOptions())
    assert out == "::error file=a%2Cb%3Ac,line=4,col=2,endLine=6,title=DG999 x::50%25 of%0Ait\n"


def test_junit(report: LintReport) -> None:
    root = ET.fromstring(render("junit", report))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "7" and suite.get("failures") == "6"
    names = [c.get("name") for c in suite.iter("testcase")]
    assert "Dockerfile" in names  # the clean file passes
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("message") == "relative WORKDIR"


def test_checkstyle(report: LintReport) -> None:
    root = ET.fromstring(render("checkstyle", report))
    files = {f.get("name"): f for f in root.iter("file")}
    assert set(files) == {"svc/Dockerfile", "Dockerfile", "broken.Dockerfile"}
    errors = list(files["svc/Dockerfile"].iter("error"))
    assert errors[0].attrib == {
        "line": "2",
        "column": "1",
        "severity": "info",
        "message": "relative WORKDIR (test-relative-workdir)",
        "source": "dockgen.DG903",
    }


def test_gitlab_fingerprints_are_stable_and_unique(report: LintReport, ruleset: RuleSet) -> None:
    doc = json.loads(render("gitlab", report))
    assert doc[0]["location"] == {"path": "svc/Dockerfile", "lines": {"begin": 2}}
    assert doc[0]["severity"] == "minor" and doc[0]["check_name"] == "DG903"
    fps = [d["fingerprint"] for d in doc]
    assert len(set(fps)) == len(fps)
    assert fps == [d["fingerprint"] for d in json.loads(render("gitlab", report))]
    # same finding twice in a file: still distinct fingerprints
    f = Finding("DG1", "n", "m", Severity.INFO, Span("D", 1, 1), path="D")
    twice = json.loads(
        formatters()["gitlab"].render(LintReport([FileResult("D", [f, f])], RuleSet(())), FormatOptions())
    )
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]
