"""DG026: both wget and curl used in one stage."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.shell import run_commands


class WgetAndCurlBothUsed(Rule):
    """
    ## What it does
    Flags the first use of the second download tool when one stage runs both `wget` and `curl`.

    ## Why is this bad?
    Two tools that do the same job both have to be installed (and patched) in the image. Pick one.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget -q https://example.com/a.tar.gz
    RUN curl -fsSLO https://example.com/b.tar.gz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSLO https://example.com/a.tar.gz
    RUN curl -fsSLO https://example.com/b.tar.gz
    ```

    ## References
    - hadolint DL4001, Trivy DS-0014
    """

    code = "DG026"
    name = "wget-and-curl-both-used"
    severity = Severity.INFO
    message = "both wget and curl are used: pick one"
    equivalents = ("DL4001", "DS-0014")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            first: dict[str, int] = {}
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                for cmd in run_commands(ins):
                    if cmd.name not in ("wget", "curl") or cmd.name in first:
                        continue
                    first[cmd.name] = ins.line
                    if len(first) == 2:
                        other = "curl" if cmd.name == "wget" else "wget"
                        yield self.finding(
                            ins, f"{cmd.name} is used here and {other} at line {first[other]}: pick one tool"
                        )
