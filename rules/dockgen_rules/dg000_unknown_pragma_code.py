"""DG000: a dockgen pragma names a rule that does not exist."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.pragmas import Suppressions, parse_pragmas
from dockgen.lint.registry import RuleSet, default_ruleset
from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class UnknownCodeInPragma(Rule):
    """
    ## What it does
    Flags codes in `# dockgen: ignore=...`, `stage-ignore=...` and `file-ignore=...` comments that name no
    installed rule (no code, code prefix, rule name or equivalent id matches).

    ## Why is this bad?
    A typo in a suppression comment silences nothing, so the finding it meant to silence still shows up,
    or, worse, the comment looks like it documents an exception that does not exist. Codes of other tools'
    pragmas (`# hadolint ignore=DL3059`) are not checked: they may belong to checks dockgen does not have.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    # dockgen: ignore=DG9999
    RUN pip install --no-cache-dir requests==2.32.3
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir requests==2.32.3
    ```

    ## References
    - `dockgen rules` lists every code and name
    """

    code = "DG000"
    name = "unknown-code-in-pragma"
    severity = Severity.WARNING
    message = "unknown rule code in a dockgen pragma"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        sup = ctx.option("_suppressions")
        if not isinstance(sup, Suppressions):
            rs = ctx.option("_ruleset")
            sup = parse_pragmas(ctx.dockerfile, rs if isinstance(rs, RuleSet) else default_ruleset())
        for unknown in sup.unknown:
            yield self.finding(
                None,
                f"`# {unknown.pragma}` names {unknown.code!r}, which is no dockgen rule: check the code "
                "(`dockgen rules` lists them)",
                span=unknown.span,
            )
