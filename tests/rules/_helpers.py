"""Helpers for rule tests: run one rule over Dockerfile text, and apply its fixes.

``run(text, Rule)`` parses ``text`` with the real parser and returns the rule's findings. ``fix(text, Rule)``
applies the rule's fixes to a fixpoint and returns the new text: it uses the engine's fixer
(``dockgen.lint.fix.apply_fixes``) when it exists, else a small span-based fallback that renders one-line
instructions (enough for the single-line snippets of these tables).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, Fix, LintContext, Rule
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


def _render(ins: Instruction) -> str:
    kw = ins.original or ins.keyword
    flags = " ".join(str(f) for f in ins.flags)
    head = f"{kw} {flags}".rstrip()
    if ins.keyword in ("ENV", "ARG", "LABEL"):
        body = " ".join(kv.key if kv.value is None else f"{kv.key}={kv.value}" for kv in ins.pairs)
    elif ins.form == "exec":
        body = json.dumps(list(ins.args))
    else:
        body = " ".join(ins.args)
    text = f"{head} {body}"
    if ins.heredocs:
        text += "\n" + "".join(h.content + h.name + "\n" for h in ins.heredocs).rstrip("\n")
    return text


def _apply_fallback(source: str, fixes: list[Fix]) -> str:
    edits: list[tuple[int, int, str]] = []
    for fx in fixes:
        for rep in fx.edits:
            rendered = "\n".join(_render(i) for i in rep.replacement)
            if rep.targets:
                first, last = rep.targets[0].span, rep.targets[-1].span
                assert first is not None and last is not None
                edits.append((first.start, last.end, rendered))
            elif rep.before is not None and rep.before.span is not None:
                edits.append((rep.before.span.start, rep.before.span.start, rendered + "\n"))
            elif rep.after is not None and rep.after.span is not None:
                edits.append((rep.after.span.end, rep.after.span.end, "\n" + rendered))
    edits.sort()
    out: list[str] = []
    pos = 0
    for start, end, new in edits:
        if start < pos:
            continue  # overlapping: next round
        out.append(source[pos:start])
        out.append(new)
        pos = end
    out.append(source[pos:])
    return "".join(out)


def fix(text: str, rule: type[Rule], options: Mapping[str, Any] | None = None, *, unsafe: bool = True) -> str:
    """``text`` with ``rule``'s fixes applied until nothing changes (at most 10 rounds)."""
    for _ in range(10):
        findings = [f for f in run(text, rule, options) if f.fix is not None and (unsafe or f.fix.safe)]
        if not findings:
            return text
        try:
            from dockgen.lint import fix as engine_fix  # type: ignore[attr-defined]

            new = engine_fix.apply_fixes(text, [f.fix for f in findings if f.fix is not None])
        except (ImportError, AttributeError):
            new = _apply_fallback(text, [f.fix for f in findings if f.fix is not None])
        if new == text:
            return text
        text = new
    return text
