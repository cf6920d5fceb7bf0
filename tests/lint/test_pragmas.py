from __future__ import annotations

import pytest

from dockgen.lint.config import LintConfig
from dockgen.lint.engine import lint_dockerfile
from dockgen.lint.registry import RuleSet, default_ruleset
from dockgen.lint.rule import Severity
from dockgen.parse import parse_text


def run(text: str, ruleset: RuleSet, all_on: LintConfig) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_dockerfile(parse_text(text, "D"), all_on, ruleset=ruleset)]


CASES = [
    pytest.param(
        "FROM a\n# dockgen: ignore=DG903\nWORKDIR x\nWORKDIR y\n",
        [(4, "DG903")],
        id="ignore-next-instruction-only",
    ),
    pytest.param(
        "FROM a\n# why: legacy\n# dockgen: ignore=test-relative-workdir -- reason here\nWORKDIR x\n",
        [],
        id="ignore-by-name-with-reason-and-other-comment-above",
    ),
    pytest.param(
        "FROM a\n# dockgen: ignore=DG901\nRUN apt-get install a && \\\n    apt-get install b\n",
        [],
        id="ignore-covers-multiline-instruction",
    ),
    pytest.param(
        "FROM a\n# dockgen: ignore\nWORKDIR x\nWORKDIR y\n", [(4, "DG903")], id="bare-ignore-means-all"
    ),
    pytest.param(
        "FROM a\n# dockgen: stage-ignore=DG903\nWORKDIR x\nWORKDIR y\nFROM b\nWORKDIR z\n",
        [(6, "DG903")],
        id="stage-ignore-to-end-of-stage",
    ),
    pytest.param(
        "# dockgen: stage-ignore=DG903\nFROM a\nWORKDIR x\nFROM b\nWORKDIR z\n",
        [(5, "DG903")],
        id="stage-ignore-above-from-covers-that-stage",
    ),
    pytest.param(
        "FROM a\nWORKDIR x\n# dockgen: file-ignore=DG903,DG902\nMAINTAINER me\nFROM b\nWORKDIR z\n",
        [],
        id="file-ignore-anywhere",
    ),
    pytest.param("# dockgen: global-ignore=DG9\nFROM a\nWORKDIR x\n", [], id="global-ignore-prefix"),
    pytest.param(
        "FROM a\n# hadolint ignore=DL3000,DL3059\nWORKDIR x\nWORKDIR y\n",
        [(4, "DG903")],
        id="hadolint-ignore-through-equivalent",
    ),
    pytest.param(
        "# hadolint global ignore=DL3014\nFROM a\nRUN apt-get install x\n", [], id="hadolint-global"
    ),
    pytest.param(
        "# check=skip=JSONArgsRecommended\nFROM a\nCMD run x\nWORKDIR w\n",
        [(4, "DG903")],
        id="buildkit-check-skip",
    ),
    pytest.param(
        "# check=skip=all\nFROM a\nCMD run x\nWORKDIR w\nRUN apt-get install q\n",
        [(5, "DG901")],
        id="buildkit-skip-all-only-buildkit-equivalents",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_pragmas(text: str, expected: list[tuple[int, str]], ruleset: RuleSet, all_on: LintConfig) -> None:
    assert run(text, ruleset, all_on) == expected


def test_check_error_true_escalates_buildkit_equivalents(ruleset: RuleSet, all_on: LintConfig) -> None:
    df = parse_text("# check=error=true\nFROM a\nCMD x y\nRUN apt-get install q\n", "D")
    sev = {f.code: f.severity for f in lint_dockerfile(df, all_on, ruleset=ruleset)}
    assert sev["DG904"] is Severity.ERROR
    assert sev["DG901"] is Severity.WARNING


def test_unknown_codes_in_dockgen_pragmas_are_reported_by_dg000() -> None:
    rs = default_ruleset()
    text = (
        "FROM python:3.12-slim\n"
        "# dockgen: ignore=DG9999,not-a-rule\n"
        "USER 1000\n"
        "# hadolint ignore=DL9999\n"
        "# dockgen: file-ignore=DL3008\n"
        'CMD ["python"]\n'
    )
    found = [
        (f.line, f.code, f.message)
        for f in lint_dockerfile(parse_text(text, "D"), LintConfig(select=("DG000",)), ruleset=rs)
    ]
    assert [(line, code) for line, code, _ in found] == [(2, "DG000"), (2, "DG000")]
    assert "'DG9999'" in found[0][2] and "'not-a-rule'" in found[1][2]
