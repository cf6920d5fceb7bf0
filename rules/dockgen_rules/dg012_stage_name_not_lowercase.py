"""DG012: a stage name that is not lower-case."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen import _record
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity


class StageNameNotLowercase(Rule):
    """
    ## What it does
    Flags stage names with upper-case letters and fixes them by lower-casing the name in `FROM ... AS`.

    ## Why is this bad?
    BuildKit lower-cases stage names internally, so `Builder` and `builder` are the same stage; mixed casing
    only misleads readers and searches. The fix is safe: references (`COPY --from=Builder`, `--target`) match
    stage names case-insensitively, so they keep working.

    ## Example
    ```dockerfile
    FROM golang:1.22 AS Builder
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS builder
    ```

    ## References
    - BuildKit StageNameCasing
    - https://docs.docker.com/reference/build-checks/stage-name-casing/
    """

    code = "DG012"
    name = "stage-name-not-lowercase"
    severity = Severity.STYLE
    message = "stage name is not lower-case"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("StageNameCasing",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            name = stage.name
            if name is None or name == name.lower() or "$" in name:
                continue
            ins = stage.from_
            args = (*ins.args[:2], name.lower(), *ins.args[3:])
            new = _record.replace(ins, args=args)
            fix = Fix(
                f"rename stage {name} to {name.lower()}", (Replace(targets=(ins,), replacement=(new,)),)
            )
            yield self.finding(ins, f"stage name {name!r} should be lower-case ({name.lower()!r})", fix=fix)
