"""DG011: a stage named scratch or context."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity

RESERVED = frozenset({"scratch", "context"})


class ReservedStageName(Rule):
    """
    ## What it does
    Flags stages named `scratch` or `context` (any casing).

    ## Why is this bad?
    `scratch` is the empty image and `context` names the build context in `COPY --from` and named contexts;
    a stage with such a name is ambiguous and BuildKit rejects or misreads it.

    ## Example
    ```dockerfile
    FROM alpine:3.20 AS scratch
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20 AS base
    ```

    ## References
    - hadolint DL3063, BuildKit ReservedStageName
    - https://docs.docker.com/reference/build-checks/reserved-stage-name/
    """

    code = "DG011"
    name = "reserved-stage-name"
    severity = Severity.ERROR
    message = "stage uses a reserved name"
    equivalents = ("DL3063", "ReservedStageName")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            if stage.name is not None and stage.name.lower() in RESERVED:
                yield self.finding(stage.from_, f"stage name {stage.name!r} is reserved: choose another name")
