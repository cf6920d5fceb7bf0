"""rules/dockgen_rules/_index.py (what ``dockgen lint`` reads instead of importing every rule) is generated from
the rule classes and must stay in sync with them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dockgen_rules

from dockgen.lint.registry import RuleInfo, builtin_index, rule_classes_in

ROOT = Path(__file__).resolve().parents[2]


def test_the_index_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gen_rule_index", ROOT / "scripts" / "gen_rule_index.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    index = ROOT / "rules" / "dockgen_rules" / "_index.py"
    assert index.read_text(encoding="utf-8") == script.expected(), "run python scripts/gen_rule_index.py"


def test_the_index_describes_every_rule_as_its_class_does() -> None:
    from_classes = sorted((RuleInfo.of(c) for c in rule_classes_in(dockgen_rules)), key=lambda r: r.code)
    index = builtin_index()
    assert index is not None
    assert list(index) == from_classes, "run python scripts/gen_rule_index.py"
    for info in index:  # and each entry leads to its class
        assert info.load().code == info.code
