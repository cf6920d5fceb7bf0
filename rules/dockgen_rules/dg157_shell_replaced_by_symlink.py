"""DG157: ``ln -s ... /bin/sh`` replaces the shell."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import has_flag, operands, run_commands

_SHELL_PATHS = frozenset({"/bin/sh", "/usr/bin/sh"})


class ShellReplacedBySymlink(InstructionRule):
    """
    ## What it does
    Flags `ln -s ... /bin/sh` (or `/usr/bin/sh`), which swaps the system shell for another program.

    ## Why is this bad?
    Every later `RUN` and every shell-form `CMD` — and every script in the image that says `#!/bin/sh` —
    silently runs under the new shell, and package maintainer scripts that expect a POSIX `sh` may break. To
    run build steps under bash, say so with `SHELL`.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN ln -sf /bin/bash /bin/sh
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    SHELL ["/bin/bash", "-c"]
    ```

    ## References
    - hadolint DL4005
    - https://docs.docker.com/reference/dockerfile/#shell
    """

    code = "DG157"
    name = "shell-replaced-by-symlink"
    severity = Severity.WARNING
    message = "ln replaces /bin/sh: use SHELL"
    equivalents = ("DL4005",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            if cmd.name != "ln" or not has_flag(cmd, "-s", "--symbolic"):
                continue
            args = operands(cmd, 1, ("-S", "--suffix", "-t", "--target-directory"))
            if args and args[-1].text in _SHELL_PATHS:
                yield self.finding(
                    ins, f"ln replaces {args[-1].text}: use a SHELL instruction to choose the shell"
                )
                return
