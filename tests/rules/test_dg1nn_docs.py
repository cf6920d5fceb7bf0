"""The documentation examples of rules DG100-DG199 are tests: Example triggers the rule, Use instead does not,
and a fixable rule's fix turns Example into Use instead exactly."""

from __future__ import annotations

from pathlib import Path

import dockgen_rules
import pytest
from _helpers_b import fixed, make_context, run

from dockgen.lint.docs import parse_doc
from dockgen.lint.registry import check_rules, rule_classes_in
from dockgen.lint.rule import Rule

RULES = sorted(
    (c for c in rule_classes_in(dockgen_rules) if "DG100" <= c.code <= "DG199"), key=lambda c: c.code
)


def _context(rule: type[Rule], tmp_path: Path) -> Path | None:
    files = getattr(rule, "example_context", None)
    if files is None:
        return None
    return make_context(tmp_path / "context", files)


def test_rules_are_consistent() -> None:
    assert check_rules(RULES) == []
    assert len(RULES) >= 39


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_example_triggers(rule: type[Rule], tmp_path: Path) -> None:
    doc = parse_doc(rule)
    assert doc.example is not None
    options = getattr(rule, "example_options", None)
    assert run(rule, doc.example, options=options, context_dir=_context(rule, tmp_path)), rule.code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_use_instead_is_clean(rule: type[Rule], tmp_path: Path) -> None:
    doc = parse_doc(rule)
    assert doc.use_instead is not None
    options = getattr(rule, "example_options", None)
    assert run(rule, doc.use_instead, options=options, context_dir=_context(rule, tmp_path)) == []


@pytest.mark.parametrize("rule", [r for r in RULES if r.fixable], ids=lambda r: r.code)
def test_fix_gives_use_instead(rule: type[Rule], tmp_path: Path) -> None:
    doc = parse_doc(rule)
    assert doc.example is not None and doc.use_instead is not None
    options = getattr(rule, "example_options", None)
    out = fixed(rule, doc.example, unsafe=True, options=options, context_dir=_context(rule, tmp_path))
    assert out == doc.use_instead
