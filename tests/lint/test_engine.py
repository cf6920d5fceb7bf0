from __future__ import annotations

from pathlib import Path

import pytest

from dockgen.lint.config import LintConfig
from dockgen.lint.engine import (
    INTERNAL_CODE,
    PARSE_CODE,
    Linter,
    find_dockerfiles,
    is_dockerfile_name,
    lint_dockerfile,
)
from dockgen.lint.registry import RuleSet
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.parse import parse_text

BAD = """FROM debian:12
WORKDIR app
RUN apt-get install curl
CMD a b
CMD ["x"]
MAINTAINER me
"""


def codes(findings: list[Finding]) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in findings]


def test_findings_sorted_by_position(ruleset: RuleSet, all_on: LintConfig) -> None:
    got = lint_dockerfile(parse_text(BAD, "Dockerfile"), all_on, ruleset=ruleset)
    assert codes(got) == [(2, "DG903"), (3, "DG901"), (4, "DG904"), (4, "DG905"), (6, "DG902")]
    assert all(f.path == "Dockerfile" for f in got)


def test_default_config_runs_only_enabled_by_default(ruleset: RuleSet) -> None:
    got = lint_dockerfile(parse_text(BAD, "D"), None, ruleset=ruleset)
    assert "DG906" not in {f.code for f in got} and "DG907" not in {f.code for f in got}
    assert "DG901" in {f.code for f in got}


class _Twice(Rule):
    code = "DG950"
    name = "twice"
    message = "same thing twice"

    def check(self, ctx: LintContext):  # type: ignore[no-untyped-def]
        ins = ctx.dockerfile.instructions[0]
        yield self.finding(ins)
        yield self.finding(ins)


def test_duplicate_findings_are_removed() -> None:
    rs = RuleSet.from_classes([_Twice])
    got = lint_dockerfile(parse_text("FROM a\n"), LintConfig(), ruleset=rs)
    assert len(got) == 1


def test_crashing_rule_becomes_internal_finding_and_others_still_run(
    ruleset: RuleSet, tmp_path: Path
) -> None:
    cfg = LintConfig(select=("ALL",))
    got = lint_dockerfile(parse_text(BAD, "D"), cfg, ruleset=ruleset)
    internal = [f for f in got if f.code == INTERNAL_CODE]
    assert len(internal) == 1 and "DG907" in internal[0].message and "test-crashes" in internal[0].message
    assert "ZeroDivisionError" in internal[0].message
    assert {"DG901", "DG902"} <= {f.code for f in got}
    (tmp_path / "Dockerfile").write_text(BAD)
    report = Linter(ruleset, config=cfg).lint_paths([tmp_path / "Dockerfile"])
    assert report.exit_code == 3


def test_severity_override(ruleset: RuleSet) -> None:
    cfg = LintConfig(severity={"test-relative-workdir": Severity.ERROR})
    got = lint_dockerfile(parse_text(BAD, "D"), cfg, ruleset=ruleset)
    assert [f.severity for f in got if f.code == "DG903"] == [Severity.ERROR]


def test_from_declaration_reaches_rules() -> None:
    seen: list[bool] = []

    class Probe(Rule):
        code = "DG951"
        name = "probe"
        message = "m"

        def check(self, ctx: LintContext):  # type: ignore[no-untyped-def]
            seen.append(ctx.from_declaration)
            return iter(())

    rs = RuleSet.from_classes([Probe])
    lint_dockerfile(parse_text("FROM a\n"), ruleset=rs, from_declaration=True)
    lint_dockerfile(parse_text("FROM a\n"), ruleset=rs)
    assert seen == [True, False]


def test_every_file_reported_when_one_fails_to_parse(
    ruleset: RuleSet, all_on: LintConfig, tmp_path: Path
) -> None:
    good = tmp_path / "a" / "Dockerfile"
    bad = tmp_path / "b" / "Dockerfile"
    good.parent.mkdir()
    bad.parent.mkdir()
    good.write_text(BAD)
    bad.write_text("FROM a\nSHELL not-json\n")
    report = Linter(ruleset, config=all_on).lint_paths([tmp_path])
    assert [r.path for r in report.results] == [str(good), str(bad)]
    assert report.results[1].parse_error
    assert report.results[1].findings[0].code == PARSE_CODE
    assert report.results[1].findings[0].line == 2
    assert report.results[0].findings
    assert report.exit_code == 2


def test_unreadable_and_binary_inputs_are_parse_errors(ruleset: RuleSet, tmp_path: Path) -> None:
    binary = tmp_path / "Dockerfile"
    binary.write_bytes(b"FROM a\x00\n")
    report = Linter(ruleset).lint_paths([binary, tmp_path / "missing.Dockerfile"])
    assert [r.parse_error for r in report.results] == [True, True]
    assert report.exit_code == 2


@pytest.mark.parametrize(
    ("threshold", "exit_code"),
    [(Severity.STYLE, 1), (Severity.INFO, 1), (Severity.WARNING, 0), (None, 0)],
    ids=["style", "info", "warning", "none"],
)
def test_failure_threshold(
    ruleset: RuleSet, tmp_path: Path, threshold: Severity | None, exit_code: int
) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text("FROM a\nWORKDIR app\n")  # only an info finding
    cfg = LintConfig(failure_threshold=threshold)
    assert Linter(ruleset, config=cfg).lint_paths([f]).exit_code == exit_code


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dockerfile", True),
        ("Containerfile", True),
        ("api.Dockerfile", True),
        ("api.dockerfile", True),
        ("Dockerfile.dev", True),
        ("Containerfile.prod", True),
        ("Dockerfile.dockerignore", False),
        ("dockerfile.py", False),
        ("README.md", False),
        ("Dockerfiles", False),
    ],
)
def test_dockerfile_names(name: str, expected: bool) -> None:
    assert is_dockerfile_name(name) is expected


def test_find_dockerfiles_skips_vcs_and_venvs(tmp_path: Path) -> None:
    for rel in [
        "Dockerfile",
        "svc/api.Dockerfile",
        ".git/Dockerfile",
        "node_modules/x/Dockerfile",
        ".venv/Dockerfile",
    ]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("FROM a\n")
    assert [p.relative_to(tmp_path).as_posix() for p in find_dockerfiles(tmp_path)] == [
        "Dockerfile",
        "svc/api.Dockerfile",
    ]


def test_context_dir_defaults_to_dockerfile_dir(tmp_path: Path) -> None:
    got: list[Path | None] = []

    class Ctx(Rule):
        code = "DG952"
        name = "ctx"
        message = "m"

        def check(self, ctx: LintContext):  # type: ignore[no-untyped-def]
            got.append(ctx.context_dir)
            return iter(())

    rs = RuleSet.from_classes([Ctx])
    (tmp_path / "sub").mkdir()
    f = tmp_path / "sub" / "Dockerfile"
    f.write_text("FROM a\n")
    Linter(rs).lint_paths([f])
    Linter(rs, context_dir=tmp_path).lint_paths([f])
    assert got == [tmp_path / "sub", tmp_path]


def test_declarations_are_linted_as_the_renderer_writes_them(tmp_path: Path) -> None:
    """Apt(...) followed by Run(...) renders as one RUN: no DG019 "fixable" finding that --fix cannot fix."""
    from dockgen import Apt, Image, Run, Stage
    from dockgen.compile import lint_images

    image = Image(
        "merge-check",
        version="1.0.0",
        stages=[
            Stage("app", base="debian:bookworm-slim", steps=[Apt({"curl": "7.88.*"}), Run("curl --version")])
        ],
    )
    report = lint_images([image], LintConfig(select=("DG019",)))
    assert [f.code for r in report.results for f in r.findings] == []


def test_declaration_findings_are_located_at_the_step_in_the_build_file() -> None:
    """A finding on a declared step points at the line of that step's call, in every output format."""
    import json
    import os

    from dockgen import Apt, Image, Run, Stage
    from dockgen.compile import lint_images
    from dockgen.lint.formatters import FormatOptions, formatter

    here = __file__
    marker = "# the line of Apt(...) and Run(...)"
    apt_line = next(
        n for n, line in enumerate(Path(here).read_text().splitlines(), 1) if line.endswith(marker)
    )
    image = Image(
        "located",
        version="1.0.0",
        stages=[
            Stage(
                "app",
                base="debian:bookworm-slim",
                steps=[Apt(["curl"]), Run("cd /srv && ls")],  # the line of Apt(...) and Run(...)
                user="10001",
            )
        ],
    )
    report = lint_images([image], LintConfig(select=("DG040", "DG020")))
    findings = [f for r in report.results for f in r.findings]
    assert sorted(f.code for f in findings) == ["DG020", "DG040"]
    assert {f.line for f in findings} == {apt_line}
    assert {f.path for f in findings} == {os.path.relpath(here)}
    assert all(f.message.endswith("(image located)") for f in findings)

    github = formatter("github").render(report, FormatOptions())
    assert f"file={os.path.relpath(here)},line={apt_line}" in github
    sarif = json.loads(formatter("sarif").render(report, FormatOptions()))
    locations = [r["locations"][0]["physicalLocation"] for r in sarif["runs"][0]["results"]]
    assert {loc["artifactLocation"]["uri"] for loc in locations} == {os.path.relpath(here)}
    assert {loc["region"]["startLine"] for loc in locations} == {apt_line}
