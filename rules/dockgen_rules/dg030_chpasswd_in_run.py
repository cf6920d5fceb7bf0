"""DG030: chpasswd sets a password inside the image."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.run import run_commands


class ChpasswdInRun(InstructionRule):
    """
    ## What it does
    Flags `chpasswd` (and `passwd --stdin`) in a `RUN`.

    ## Why is this bad?
    The password ends up in the image history (`docker history` shows the command) and in the layer's
    `/etc/shadow`; everyone who can pull the image knows it. Containers rarely need local passwords: use a
    non-root `USER` without one, and pass secrets at run time.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN echo 'app:s3cret' | chpasswd
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home --uid 10001 app
    USER 10001
    ```

    ## References
    - Checkov CKV2_DOCKER_17
    """

    code = "DG030"
    name = "chpasswd-in-run"
    severity = Severity.WARNING
    message = "a password is set in the image"
    equivalents = ("CKV2_DOCKER_17",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            if cmd.name == "chpasswd" or (
                cmd.name == "passwd" and any(w.text == "--stdin" for w in cmd.args)
            ):
                yield self.finding(ins, f"{cmd.name} stores a password in the image and its history")
                return
