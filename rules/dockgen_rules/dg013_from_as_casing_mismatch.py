"""DG013: FROM and AS written in different casing."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen import _record
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity


class FromAsCasingMismatch(Rule):
    """
    ## What it does
    Flags `FROM image as name` (upper-case `FROM`, lower-case `as`) and `from image AS name`, and fixes the
    `AS` keyword to the casing of `FROM`.

    ## Why is this bad?
    Consistent keyword casing makes files easier to scan. The fix is safe: keywords are case-insensitive.

    ## Example
    ```dockerfile
    FROM golang:1.22 as build
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS build
    ```

    ## References
    - BuildKit FromAsCasing
    - https://docs.docker.com/reference/build-checks/from-as-casing/
    """

    code = "DG013"
    name = "from-as-casing-mismatch"
    severity = Severity.STYLE
    message = "'AS' and 'FROM' keywords' casing do not match"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("FromAsCasing",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            ins = stage.from_
            if len(ins.args) < 3:
                continue
            kw, as_word = ins.original or ins.keyword, ins.args[1]
            if kw.isupper() and not as_word.isupper():
                want = "AS"
            elif kw.islower() and not as_word.islower():
                want = "as"
            else:
                continue
            new = _record.replace(ins, args=(ins.args[0], want, *ins.args[2:]))
            fix = Fix(f"write {as_word!r} as {want!r}", (Replace(targets=(ins,), replacement=(new,)),))
            yield self.finding(
                ins, f"{as_word!r} does not match the casing of {kw!r}: write {want!r}", fix=fix
            )
