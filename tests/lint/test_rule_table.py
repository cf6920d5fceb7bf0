"""docs/rules.md and the README rule table are generated from the code and must stay in sync."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from dockgen.lint.docs import TABLE_END, TABLE_START, replace_block

ROOT = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_rule_table", ROOT / "scripts" / "gen_rule_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_rules_md_is_up_to_date() -> None:
    expected = _script().expected(ROOT)
    path = ROOT / "docs" / "rules.md"
    assert path.is_file(), "docs/rules.md missing: run python scripts/gen_rule_table.py"
    assert path.read_text(encoding="utf-8") == expected[path], "run python scripts/gen_rule_table.py"


def test_readme_rule_table_is_up_to_date() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if TABLE_START not in text:
        pytest.skip("README.md has no rule table markers yet")
    assert text == _script().expected(ROOT)[readme], "run python scripts/gen_rule_table.py"


def test_replace_block() -> None:
    text = f"a\n{TABLE_START}\nold\n{TABLE_END}\nb\n"
    assert replace_block(text, "new\n") == f"a\n{TABLE_START}\nnew\n{TABLE_END}\nb\n"
    with pytest.raises(ValueError):
        replace_block("no markers", "x")
