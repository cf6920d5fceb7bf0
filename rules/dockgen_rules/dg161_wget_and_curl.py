"""DG161: both wget and curl used in one image."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.shell import run_commands
from dockgen_rules.dg102_copy_relative_destination_without_workdir import inherited_instructions

_TOOLS = ("curl", "wget")


def _tools(ins: Instruction) -> list[str]:
    if ins.keyword != "RUN":
        return []
    found: list[str] = []
    for cmd in run_commands(ins):
        if cmd.name in _TOOLS and cmd.name not in found:
            found.append(cmd.name)
    return found


class WgetAndCurl(Rule):
    """
    ## What it does
    Flags `RUN` instructions that use `wget` in an image (stage, with the stages it is built from) that
    already downloads with `curl`, or the other way round: whichever tool comes second is reported.

    ## Why is this bad?
    Two download tools in one image do the same job twice: two packages to install, patch and scan. Pick one.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
    RUN wget -q -O /tmp/b.tgz https://example.com/b.tgz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
    RUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz
    ```

    ## References
    - hadolint DL4001, Trivy DS-0014
    """

    code = "DG161"
    name = "wget-and-curl"
    severity = Severity.INFO
    message = "both wget and curl are used"
    equivalents = ("DL4001", "DS-0014")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            first: str | None = None
            for ins in inherited_instructions(ctx.dockerfile, stage):
                tools = _tools(ins)
                if first is None and tools:
                    first = tools[0]
            for ins in stage.instructions:
                tools = _tools(ins)
                if first is None and tools:
                    first = tools[0]
                other = next((t for t in tools if t != first), None)
                if first is not None and other is not None:
                    yield self.finding(
                        ins, f"{other} is used where the image already uses {first}: pick one tool"
                    )
