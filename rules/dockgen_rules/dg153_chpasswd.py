"""DG153: ``chpasswd`` sets a password in the image."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import run_commands


class Chpasswd(InstructionRule):
    """
    ## What it does
    Flags `RUN` commands that run `chpasswd`.

    ## Why is this bad?
    A password set at build time is the same in every container of the image, and the plain text usually
    sits in the Dockerfile and the layer history. Containers should not need passwords: use `USER` to run
    unprivileged and `docker exec` for access.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app && echo "app:changeme" | chpasswd
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app
    ```

    ## References
    - Checkov CKV2_DOCKER_17
    """

    code = "DG153"
    name = "chpasswd"
    severity = Severity.WARNING
    message = "chpasswd sets a password in the image"
    equivalents = ("CKV2_DOCKER_17",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        if any(cmd.name == "chpasswd" for cmd in run_commands(ins)):
            yield self.finding(
                ins, "chpasswd sets a password baked into every container: do not set passwords in images"
            )
