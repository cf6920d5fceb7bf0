"""DG160: ``cd`` inside RUN instead of WORKDIR."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import run_commands


class CdInRun(InstructionRule):
    """
    ## What it does
    Flags `cd` in `RUN` commands.

    ## Why is this bad?
    `cd` only lasts for the one `RUN`; the next instruction starts in the `WORKDIR` again, which surprises
    readers and leads to long `cd a && ... && cd b` chains. `WORKDIR` states the directory once, for every
    following instruction, and creates it if needed.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN cd /app && pip install --no-cache-dir .
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    RUN pip install --no-cache-dir .
    ```

    ## References
    - hadolint DL3003, Trivy DS-0013
    - https://docs.docker.com/build/building/best-practices/#workdir
    """

    code = "DG160"
    name = "cd-in-run"
    severity = Severity.WARNING
    message = "cd in RUN: use WORKDIR"
    equivalents = ("DL3003", "DS-0013")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            if cmd.name == "cd":
                target = cmd.args[0].text if cmd.args else "~"
                yield self.finding(ins, f"'cd {target}' lasts for this RUN only: use WORKDIR {target}")
                return
