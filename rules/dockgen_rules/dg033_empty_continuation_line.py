"""DG033: empty line inside a line continuation."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Span
from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class EmptyContinuationLine(Rule):
    """
    ## What it does
    Flags empty lines inside a multi-line instruction (after a line ending with `\\`).

    ## Why is this bad?
    BuildKit skips such lines today but warns that a future version will treat an empty line as the end of
    the instruction, which would cut the command in two. It usually is a leftover of an edit.

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

    code = "DG033"
    name = "empty-continuation-line"
    severity = Severity.WARNING
    message = "empty continuation line"
    equivalents = ("NoEmptyContinuation",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            for line in ins.empty_continuation_lines:
                file = ins.span.file if ins.span is not None else None
                yield self.finding(
                    ins,
                    f"empty line {line} inside the {ins.keyword} continuation: remove it",
                    span=Span(file=file, start_line=line, end_line=line, start_col=1, end_col=1),
                )
