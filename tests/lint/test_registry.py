from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import ClassVar

import pytest
from testrules import ALL_RULES, AptWithoutYes

from dockgen.lint.registry import (
    RuleSet,
    check_rules,
    default_ruleset,
    discover_rule_classes,
    equivalent_tool,
)
from dockgen.lint.rule import Rule, Severity


def test_builtin_pack_is_registered_through_the_entry_point() -> None:
    eps = {ep.name: ep.value for ep in entry_points(group="dockgen.rules")}
    assert eps.get("builtin") == "dockgen_rules"


def test_builtin_rules_are_consistent() -> None:
    classes = discover_rule_classes()
    assert classes, "no rules discovered"
    assert check_rules(classes) == []


def test_default_ruleset_is_instantiated_once() -> None:
    assert default_ruleset() is default_ruleset()
    codes = [r.code for r in default_ruleset()]
    assert codes == sorted(codes) and len(codes) == len(set(codes))


def test_fixture_rules_are_consistent() -> None:
    assert check_rules(ALL_RULES) == []


def _bad(**attrs: object) -> type[Rule]:
    doc = AptWithoutYes.__doc__
    return type("Bad", (Rule,), {"__doc__": doc, "__module__": "bad", "message": "m", **attrs})


@pytest.mark.parametrize(
    ("attrs", "problem"),
    [
        pytest.param({"code": "DG01", "name": "ok-name"}, "is not DGnnn", id="short-code"),
        pytest.param({"code": "XX001", "name": "ok-name"}, "is not DGnnn", id="foreign-prefix"),
        pytest.param({"code": "DG950", "name": "Not_Kebab"}, "not kebab-case", id="name-case"),
        pytest.param(
            {"code": "DG950", "name": "ok-name", "fix_availability": "yes"},
            "must be a FixAvailability",
            id="fix",
        ),
        pytest.param(
            {"code": "DG950", "name": "ok-name", "fixable": "safe"}, "declare fix_availability", id="fixable"
        ),
        pytest.param(
            {"code": "DG950", "name": "ok-name", "equivalents": ("??",)}, "matches no known tool", id="equiv"
        ),
        pytest.param(
            {"code": "DG950", "name": "ok-name", "__doc__": "## What it does\nx\n"},
            "'## Why is this bad?' missing",
            id="missing-section",
        ),
        pytest.param(
            {
                "code": "DG950",
                "name": "ok-name",
                "__doc__": AptWithoutYes.__doc__.replace("```dockerfile", "").replace("```", ""),
            },  # type: ignore[union-attr]
            "has no fenced dockerfile block",
            id="no-code-block",
        ),
    ],
)
def test_check_rules_reports(attrs: dict[str, object], problem: str) -> None:
    problems = check_rules([_bad(**attrs)])
    assert any(problem in p for p in problems), problems


def test_duplicate_codes_and_names_are_reported() -> None:
    problems = check_rules([AptWithoutYes, _bad(code="DG901", name="test-apt-without-yes")])
    assert any("already used" in p and "DG901" in p for p in problems)
    assert any("name 'test-apt-without-yes' already used" in p for p in problems)


@pytest.mark.parametrize(
    ("selector", "codes"),
    [
        pytest.param("DG901", ["DG901"], id="code"),
        pytest.param("dg901", ["DG901"], id="code-lower"),
        pytest.param("test-maintainer", ["DG902"], id="name"),
        pytest.param("DL3014", ["DG901"], id="hadolint-equivalent"),
        pytest.param("jsonargsrecommended", ["DG904"], id="buildkit-equivalent-any-case"),
        pytest.param("DG90", ["DG901", "DG902", "DG903", "DG904", "DG905", "DG906", "DG907"], id="prefix"),
        pytest.param("nope", None, id="unknown"),
        pytest.param("DG8", None, id="empty-prefix"),
    ],
)
def test_resolve(ruleset: RuleSet, selector: str, codes: list[str] | None) -> None:
    found = ruleset.resolve(selector)
    assert (None if found is None else [r.code for r in found]) == codes


@pytest.mark.parametrize(
    ("ident", "tool"),
    [
        ("DL3008", "hadolint"),
        ("SC2086", "hadolint"),
        ("DS-0021", "trivy"),
        ("CKV_DOCKER_9", "checkov"),
        ("CKV2_DOCKER_1", "checkov"),
        ("JSONArgsRecommended", "buildkit"),
        ("x-y", None),
    ],
)
def test_equivalent_tool(ident: str, tool: str | None) -> None:
    assert equivalent_tool(ident) == tool


def test_rules_without_code_are_not_collected() -> None:
    class Base(Rule):
        severity: ClassVar[Severity] = Severity.INFO

    rs = RuleSet.from_classes([AptWithoutYes])
    assert [r.code for r in rs] == ["DG901"]
    assert not Base.code


def test_rules_do_not_import_each_other() -> None:
    """A rule module imports shared helpers from underscore modules of the pack, never from another rule, so
    removing one rule never breaks another."""
    import ast

    import dockgen_rules

    pack = Path(dockgen_rules.__file__).parent
    offenders: list[str] = []
    for path in sorted(pack.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "dockgen_rules" and len(parts) > 1 and not parts[1].startswith("_"):
                    offenders.append(f"{path.name} imports {name}")
    assert offenders == []
