"""Helpers for rule tests: run one rule over Dockerfile text, and apply its fixes.

``run(text, Rule)`` parses ``text`` with the real parser and returns the rule's findings. ``fix(text, Rule)``
applies the rule's fixes to a fixpoint with the engine's fixer (:func:`dockgen.lint.fix.fix_text`, the same
loop ``dockgen lint --fix`` runs) and returns the new text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dockgen.ir import Dockerfile
from dockgen.lint.fix import fix_text
from dockgen.lint.rule import Finding, LintContext, Rule
from dockgen.parse import parse_text


def run(
    text: str,
    rule: type[Rule],
    options: Mapping[str, Any] | None = None,
    context_dir: Path | None = None,
) -> list[Finding]:
    """Findings of ``rule`` alone on ``text``."""
    df = parse_text(text)
    ctx = LintContext(dockerfile=df, options=dict(options or {}), context_dir=context_dir)
    return list(rule().check(ctx))


def lines(text: str, rule: type[Rule], options: Mapping[str, Any] | None = None) -> list[int]:
    """Start lines of the findings (sorted)."""
    return sorted(f.line for f in run(text, rule, options))


def fix(text: str, rule: type[Rule], options: Mapping[str, Any] | None = None, *, unsafe: bool = True) -> str:
    """``text`` with ``rule``'s fixes applied until nothing changes (at most ``MAX_ROUNDS`` rounds)."""

    def lint(df: Dockerfile) -> list[Finding]:
        ctx = LintContext(dockerfile=df, options=dict(options or {}))
        return list(rule().check(ctx))

    result = fix_text(text, "Dockerfile", lint, unsafe=unsafe)
    assert result.broken is None, result.broken
    return result.text
