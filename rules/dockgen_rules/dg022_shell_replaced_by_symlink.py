"""DG022: /bin/sh replaced by a symlink in RUN."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.argv import has_flag
from dockgen.shell.run import run_commands

_SH = frozenset({"/bin/sh", "/usr/bin/sh"})


class ShellReplacedBySymlink(InstructionRule):
    """
    ## What it does
    Flags `ln -s ... /bin/sh` (any `ln` with `-s` whose destination is `/bin/sh`).

    ## Why is this bad?
    Swapping the system shell changes how every script in the image runs, including package maintainer
    scripts, and hides the choice in a `RUN`. To run your `RUN` lines with another shell, say so with `SHELL`.

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

    code = "DG022"
    name = "shell-replaced-by-symlink"
    severity = Severity.WARNING
    message = "/bin/sh replaced with ln -s: use SHELL to change the shell"
    equivalents = ("DL4005",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            if cmd.name != "ln" or not has_flag(cmd, "-s", "--symbolic"):
                continue
            operands = [w.text for w in cmd.args if not w.text.startswith("-")]
            if len(operands) >= 2 and operands[-1] in _SH:
                yield self.finding(ins)
                return
