"""DG009: an instruction other than ARG before the first FROM."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class InstructionBeforeFirstFrom(Rule):
    """
    ## What it does
    Flags instructions other than `ARG` that come before the first `FROM`, and a Dockerfile with
    instructions but no `FROM` at all.

    ## Why is this bad?
    Only `ARG` (and comments/parser directives) may precede `FROM`; BuildKit rejects anything else, so the
    file does not build.

    ## Example
    ```dockerfile
    ENV PYTHONUNBUFFERED=1
    FROM python:3.12-slim
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONUNBUFFERED=1
    ```

    ## References
    - hadolint DL3061
    - https://docs.docker.com/reference/dockerfile/#format
    """

    code = "DG009"
    name = "instruction-before-first-from"
    severity = Severity.ERROR
    message = "instruction before the first FROM"
    equivalents = ("DL3061",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        if df.instructions and not df.stages:
            yield self.finding(df.instructions[0], "this Dockerfile has no FROM instruction")
            return
        for ins in df.global_args:
            if ins.keyword != "ARG":
                yield self.finding(ins, f"{ins.keyword} before the first FROM: only ARG may come before FROM")
