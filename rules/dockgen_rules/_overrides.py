"""Instructions of a stage that a later one of the same kind overrides."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from dockgen.lint.rule import Finding, Fix, LintContext, Replace, Rule


def overridden(rule: Rule, ctx: LintContext, keyword: str) -> Iterator[Finding]:
    """Findings for every ``keyword`` instruction of a stage that a later one in the same stage overrides."""
    for stage in ctx.stages:
        found = [i for i in stage.instructions if i.keyword == keyword]
        for ins, later in itertools.pairwise(found):
            fix = Fix(f"remove the overridden {keyword}", (Replace(targets=(ins,), replacement=()),))
            yield rule.finding(
                ins, f"this {keyword} has no effect: the {keyword} on line {later.line} overrides it", fix=fix
            )
