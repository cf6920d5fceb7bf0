"""The rule-test harness: run one rule over Dockerfile text, look at its findings, apply its fixes.

Every function takes the rule class first and the Dockerfile text second. The text is parsed with the real
parser (after :func:`dedent`, so tests may indent triple-quoted snippets); fixes are applied with the engine's
own fixpoint (:func:`dockgen.lint.fix.fix_text`), exactly as ``dockgen lint --fix`` applies them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dockgen.ir import Dockerfile, IRInstruction
from dockgen.lint.rule import Finding, LintContext, Replace, Rule
from dockgen.parse import parse_text


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(
    rule: type[Rule],
    text: str,
    *,
    options: Mapping[str, Any] | None = None,
    context_dir: Path | None = None,
    path: str | None = None,
) -> list[Finding]:
    """Findings of ``rule`` alone on the Dockerfile ``text`` (dedented)."""
    df = parse_text(dedent(text), path=path)
    ctx = LintContext(dockerfile=df, options=dict(options or {}), context_dir=context_dir)
    return list(rule().check(ctx))


def lines(findings: list[Finding]) -> list[int]:
    """Start lines of ``findings``, in the order the rule reported them."""
    return [f.line for f in findings]


def make_context(root: Path, files: Mapping[str, str]) -> Path:
    """Create a build context under ``root``: ``{"path/in/context": "content"}`` (a trailing '/' = directory)."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = root / rel
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return root


def only_replacement(finding: Finding) -> tuple[IRInstruction, ...]:
    """The replacement instructions of a finding's fix with exactly one edit."""
    assert finding.fix is not None, "finding has no fix"
    assert len(finding.fix.edits) == 1
    edit = finding.fix.edits[0]
    assert isinstance(edit, Replace)
    return edit.replacement


def fixed(
    rule: type[Rule],
    text: str,
    *,
    unsafe: bool = True,
    options: Mapping[str, Any] | None = None,
    context_dir: Path | None = None,
) -> str:
    """``text`` (dedented) after applying ``rule``'s fixes to a fixpoint with the engine's text fixer."""
    from dockgen.lint.fix import fix_text

    def lint(df: Dockerfile) -> list[Finding]:
        ctx = LintContext(dockerfile=df, options=dict(options or {}), context_dir=context_dir)
        return list(rule().check(ctx))

    result = fix_text(dedent(text), "Dockerfile", lint, unsafe=unsafe)
    assert result.broken is None, result.broken
    return result.text
