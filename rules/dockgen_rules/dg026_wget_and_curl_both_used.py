"""DG026: both wget and curl used in one stage."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.shell.run import run_commands


class WgetAndCurlBothUsed(Rule):
    """
    ## What it does
    Flags the first use of the second download tool when one image runs both `wget` and `curl`: in one
    stage, or across a stage and the stages of the same file it is built `FROM` (their layers ship together).
    Two unrelated stages that each use a different tool are fine. (hadolint's DL4001 starts afresh at every
    `FROM`, so it misses the `FROM <stage>` case.)

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
    triggers = frozenset({"RUN"})
    severity = Severity.INFO
    message = "both wget and curl are used: pick one"
    equivalents = ("DL4001", "DS-0014")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        first_by_stage: dict[int, dict[str, int]] = {}
        for stage in ctx.stages:
            parent = df.stage_by_ref(stage.base)
            inherited: dict[str, int] = {}
            parent_label = ""
            if parent is not None and parent.index < stage.index:
                inherited = first_by_stage.get(parent.index, {})
                parent_label = parent.name or str(parent.index)
            first = dict(inherited)
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                for cmd in run_commands(ins):
                    if cmd.name not in ("wget", "curl") or cmd.name in first:
                        continue
                    first[cmd.name] = ins.line
                    if len(first) == 2:
                        other = "curl" if cmd.name == "wget" else "wget"
                        where = f"line {first[other]}"
                        if other in inherited:
                            where += f" (in stage {parent_label}, which this stage is built FROM)"
                        yield self.finding(
                            ins, f"{cmd.name} is used here and {other} at {where}: pick one tool"
                        )
            first_by_stage[stage.index] = first
