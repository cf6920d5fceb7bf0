"""Every discovered rule's documentation is a test: sections present, ``## Example`` triggers the rule,
``## Use instead`` does not, and where the rule has a fix, fixing the example gives "use instead" exactly (and
fixing again changes nothing).

Rules declare ``example_options`` (config options the examples assume) and ``example_context``
(``{"path": "content"}`` files of a build context the examples are linted with) on the class; both default to
empty on :class:`~dockgen.lint.rule.Rule`.

A rule's ``fix_availability`` is checked against what it yields: ``always`` rules fix every finding, ``never``
rules none, on the documentation examples and on every file of tests/corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockgen.errors import DockgenError
from dockgen.ir import Dockerfile
from dockgen.lint.config import LintConfig
from dockgen.lint.docs import parse_doc
from dockgen.lint.engine import lint_dockerfile
from dockgen.lint.fix import fix_text
from dockgen.lint.registry import check_rules, default_ruleset
from dockgen.lint.rule import Finding, FixAvailability, Rule
from dockgen.parse import parse_text

RULES = list(default_ruleset())
IDS = [r.code for r in RULES]


def _options(rule: Rule) -> dict[str, Any]:
    return dict(rule.example_options)


def _context(rule: Rule, tmp_path: Path) -> Path:
    root = tmp_path / "context"
    root.mkdir()
    for rel, content in rule.example_context.items():
        target = root / rel
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return root


def _lint(rule: Rule, text: str, ctx_dir: Path) -> list[Finding]:
    cfg = LintConfig(select=(rule.code,), options=_options(rule))
    df = parse_text(text, str(ctx_dir / "Dockerfile"))
    return lint_dockerfile(df, cfg, ctx_dir, ruleset=default_ruleset())


def test_rules_were_discovered() -> None:
    assert RULES, "no rules discovered through the dockgen.rules entry point"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docs_sections_present(rule: Rule) -> None:
    assert check_rules([type(rule)]) == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_example_triggers_the_rule(rule: Rule, tmp_path: Path) -> None:
    example = parse_doc(rule).example
    assert example is not None, f"{rule.code}: no ## Example block"
    found = _lint(rule, example, _context(rule, tmp_path))
    assert [f for f in found if f.code == rule.code], f"{rule.code}: the example does not trigger it"
    assert not [f for f in found if f.code == "INTERNAL"], found


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_example_agrees_with_fix_availability(rule: Rule, tmp_path: Path) -> None:
    example = parse_doc(rule).example
    assert example is not None
    mine = [f for f in _lint(rule, example, _context(rule, tmp_path)) if f.code == rule.code]
    with_fix = [f for f in mine if f.fix is not None]
    if rule.fix_availability is FixAvailability.NEVER:
        assert with_fix == [], f"{rule.code} declares no fix but its example's finding has one"
    else:
        assert with_fix, f"{rule.code} declares a fix ({rule.fix_availability}) but its example gets none"
    if rule.fix_availability is FixAvailability.ALWAYS:
        assert len(with_fix) == len(mine), f"{rule.code} declares a fix always, but a finding has none"


CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*Dockerfile*"))


def test_fix_availability_holds_on_the_corpus() -> None:
    """Over tests/corpus, no finding of a ``never`` rule has a fix and every finding of an ``always`` one does."""
    rs = default_ruleset()
    cfg = LintConfig(select=("ALL",))
    wrong: list[str] = []
    seen = 0
    for path in CORPUS:
        try:
            df = parse_text(path.read_text(encoding="utf-8", errors="surrogateescape"), str(path))
        except DockgenError:
            continue  # the corpus holds deliberately broken files
        for f in lint_dockerfile(df, cfg, path.parent, ruleset=rs):
            rule = rs.get(f.code)
            if rule is None:
                continue
            seen += 1
            if rule.fix_availability is FixAvailability.NEVER and f.fix is not None:
                wrong.append(f"{path.name}:{f.line} {f.code} has a fix but declares never")
            if rule.fix_availability is FixAvailability.ALWAYS and f.fix is None:
                wrong.append(f"{path.name}:{f.line} {f.code} has no fix but declares always")
    assert seen > 100
    assert wrong == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_use_instead_is_clean(rule: Rule, tmp_path: Path) -> None:
    good = parse_doc(rule).use_instead
    assert good is not None, f"{rule.code}: no ## Use instead block"
    found = _lint(rule, good, _context(rule, tmp_path))
    assert found == [], [f"{f.line}: {f.code} {f.message}" for f in found]


FIXABLE = [r for r in RULES if r.fix_availability is not FixAvailability.NEVER]


@pytest.mark.parametrize("rule", FIXABLE, ids=[r.code for r in FIXABLE])
def test_fixing_the_example_gives_use_instead(rule: Rule, tmp_path: Path) -> None:
    doc = parse_doc(rule)
    assert doc.example is not None and doc.use_instead is not None
    ctx_dir = _context(rule, tmp_path)
    path = str(ctx_dir / "Dockerfile")

    cfg = LintConfig(select=(rule.code,), options=_options(rule))

    def lint(df: Dockerfile) -> list[Finding]:
        return lint_dockerfile(df, cfg, ctx_dir, ruleset=default_ruleset())

    first = fix_text(doc.example, path, lint, unsafe=True)
    assert first.broken is None
    assert first.text == doc.use_instead
    second = fix_text(first.text, path, lint, unsafe=True)
    assert second.text == first.text and not second.applied
