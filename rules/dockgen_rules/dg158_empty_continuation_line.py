"""DG158: an empty line inside a line continuation."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class EmptyContinuationLine(Rule):
    """
    ## What it does
    Flags empty lines inside an instruction continued with `\\` (comment lines there are fine).

    ## Why is this bad?
    The builder skips such lines today but warns that they will become an error, and they make it easy to
    misread where an instruction ends. Remove the empty line, or end the instruction before it.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && \\

        apt-get install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && \\
        apt-get install -y --no-install-recommends curl
    ```

    ## References
    - BuildKit NoEmptyContinuation
    - https://docs.docker.com/reference/build-checks/no-empty-continuation/
    """

    code = "DG158"
    name = "empty-continuation-line"
    severity = Severity.WARNING
    message = "empty line inside a line continuation"
    equivalents = ("NoEmptyContinuation",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if not ins.empty_continuation_lines:
                continue
            listed = ", ".join(str(n) for n in ins.empty_continuation_lines)
            yield self.finding(ins, f"empty line(s) {listed} inside the line continuation: remove them")
