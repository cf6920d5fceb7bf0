"""DG155: ``sudo`` in RUN."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import run_commands


class Sudo(InstructionRule):
    """
    ## What it does
    Flags `sudo` (and `doas`) in `RUN` commands.

    ## Why is this bad?
    Build steps already run as the current `USER`; `sudo` needs a TTY and a configured sudoers, behaves
    unpredictably with signals, and its presence in the image gives any process an easy way to root. Switch
    with `USER root` for the steps that need it, then back.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    USER app
    RUN sudo apt-get update
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    USER root
    RUN apt-get update
    USER app
    ```

    ## References
    - hadolint DL3004, Trivy DS-0010, Checkov CKV2_DOCKER_1
    """

    code = "DG155"
    name = "sudo"
    severity = Severity.ERROR
    message = "sudo in RUN"
    equivalents = ("DL3004", "DS-0010", "CKV2_DOCKER_1")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            used = next((p for p in cmd.prefixes if p in ("sudo", "doas")), None)
            if used is None and cmd.name in ("sudo", "doas"):
                used = cmd.name
            if used is not None:
                yield self.finding(ins, f"{used} in RUN: use 'USER root' for the steps that need it")
                return
