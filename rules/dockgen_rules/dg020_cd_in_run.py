"""DG020: cd inside RUN where WORKDIR fits."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.run import run_commands
from dockgen.stages import posix_shell


class CdInRun(InstructionRule):
    """
    ## What it does
    Flags `cd` in a `RUN` at the top level of the command. Not flagged: `cd` inside a subshell
    (`(cd sub && make)`), `cd -`, and `cd` into a directory that the same `RUN` removes again (a temporary
    build directory, where `WORKDIR` would leave an empty directory behind).

    hadolint's DL3003 also flags `cd` inside a subshell. dockgen does not, on purpose: `(cd sub && make)`
    confines the directory change to the parentheses, so nothing leaks into the rest of the command, and
    `WORKDIR` is no replacement for a step that works in a directory only briefly.

    ## Why is this bad?
    The directory change ends with the `RUN`, so the next instruction runs somewhere else; readers have to
    track it in their heads. `WORKDIR` sets the directory once, creates it if needed, and is visible to every
    following instruction.

    ## Example
    ```dockerfile
    FROM node:20-slim
    RUN cd /app && npm ci
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    WORKDIR /app
    RUN npm ci
    ```

    ## References
    - hadolint DL3003, Trivy DS-0013
    - https://docs.docker.com/build/building/best-practices/#workdir
    """

    code = "DG020"
    name = "cd-in-run"
    severity = Severity.WARNING
    message = "use WORKDIR instead of cd"
    equivalents = ("DL3003", "DS-0013")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if not posix_shell(ctx.dockerfile, ins):
            return
        cmds = run_commands(ins)
        removed = {
            w.text.rstrip("/") for c in cmds if c.name == "rm" for w in c.args if not w.text.startswith("-")
        }
        for cmd in cmds:
            if cmd.name != "cd" or cmd.depth > 0:
                continue
            target = next((w.text for w in cmd.args if not w.text.startswith("-") or w.text == "-"), "")
            if target == "-" or (target and target.rstrip("/") in removed):
                continue
            yield self.finding(ins, f"cd {target} in RUN: use WORKDIR {target or '<dir>'} instead".rstrip())
            return
