"""DG023: sudo in RUN."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.run import run_commands


class SudoInRun(InstructionRule):
    """
    ## What it does
    Flags commands run through `sudo` (or `doas`) in a `RUN`.

    ## Why is this bad?
    `sudo` has unpredictable TTY and signal behaviour, needs to be installed and configured in the image, and
    usually means the image grants passwordless root to its runtime user. Run the privileged steps as root
    (before `USER`, or with `USER root` ... `USER app`) instead.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    USER app
    RUN sudo apt-get update
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update
    USER app
    ```

    ## References
    - hadolint DL3004, Trivy DS-0010, Checkov CKV2_DOCKER_1
    - https://docs.docker.com/build/building/best-practices/#user
    """

    code = "DG023"
    name = "sudo-in-run"
    severity = Severity.ERROR
    message = "do not use sudo in RUN: switch USER instead"
    equivalents = ("DL3004", "DS-0010", "CKV2_DOCKER_1")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            if "sudo" in cmd.prefixes or "doas" in cmd.prefixes or cmd.name in ("sudo", "doas"):
                yield self.finding(ins)
                return
