"""DG159: a RUN pipes commands without ``set -o pipefail``."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Dockerfile, Instruction, Stage
from dockgen.lint.rule import Finding, Fix, LintContext, Replace, Rule, Severity
from dockgen.shell import SHELLS, Command, scripts
from dockgen_rules.dg100_add_instead_of_copy import recased
from dockgen_rules.dg102_copy_relative_destination_without_workdir import inherited_instructions, stage_chain

_BUSYBOX_MARKERS = ("alpine", "busybox")


def sets_pipefail(cmd: Command) -> bool:
    """``set -o pipefail``, ``set -euo pipefail``, ``set -o errexit -o pipefail``..."""
    if cmd.name != "set":
        return False
    words = [w.text for w in cmd.args]
    return any(
        w == "pipefail" and i > 0 and words[i - 1].startswith("-") and words[i - 1].endswith("o")
        for i, w in enumerate(words)
    )


def shell_has_pipefail(shell: Instruction) -> bool:
    args = list(shell.args)
    return any(
        a == "pipefail" and i > 0 and args[i - 1].startswith("-") and "o" in args[i - 1]
        for i, a in enumerate(args)
    )


def posix_shell(shell: Instruction | None) -> bool:
    if shell is None or not shell.args:
        return True
    return shell.args[0].rsplit("/", 1)[-1] in SHELLS


def unguarded_pipe(ins: Instruction) -> bool:
    """Whether a shell script of the RUN has a pipe not preceded by ``set -o pipefail``."""
    if ins.is_exec:
        return False
    for script in scripts(ins):
        guarded = False
        for cmd in script.commands:
            if sets_pipefail(cmd):
                guarded = True
            if cmd.op in ("|", "|&") and not guarded:
                return True
    return False


def _busybox_base(df: Dockerfile, stage: Stage) -> bool:
    base = stage_chain(df, stage)[-1].base.lower()
    return any(m in base for m in _BUSYBOX_MARKERS)


class PipeWithoutPipefail(Rule):
    """
    ## What it does
    Flags a `RUN` whose shell command uses a pipe (`a | b`) when neither `set -o pipefail` (earlier in the
    same command) nor a `SHELL` with `-o pipefail` (earlier in the stage, or in a stage it is built from)
    guards it. Stages with a non-POSIX `SHELL` (PowerShell, cmd) are skipped.

    The fix inserts `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the first such `RUN` of the stage
    (`/bin/ash` for Alpine and BusyBox bases). It is unsafe: the image must have that shell, and every later
    `RUN` of the stage runs under it.

    ## Why is this bad?
    A pipeline's status is the status of its last command: `curl -fsSL https://example.com/key | gpg --dearmor
    -o /k.gpg` succeeds when the download fails, and the build goes on with a broken file.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
    ```

    ## References
    - hadolint DL4006
    - https://docs.docker.com/build/building/best-practices/#using-pipes
    """

    code = "DG159"
    name = "pipe-without-pipefail"
    severity = Severity.WARNING
    message = "pipe without set -o pipefail"
    fixable = "unsafe"
    equivalents = ("DL4006",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            shell: Instruction | None = None
            for prev in inherited_instructions(df, stage):
                if prev.keyword == "SHELL":
                    shell = prev
            fix_offered = False
            for ins in stage.instructions:
                if ins.keyword == "SHELL":
                    shell = ins
                    continue
                if ins.keyword != "RUN" or not posix_shell(shell):
                    continue
                if shell is not None and shell_has_pipefail(shell):
                    continue
                if not unguarded_pipe(ins):
                    continue
                fix = None
                if not fix_offered:
                    fix_offered = True
                    fix = self._fix(df, stage, ins)
                yield self.finding(
                    ins,
                    "a failing command before '|' does not fail this RUN: add 'set -o pipefail &&' "
                    "or a SHELL with -o pipefail",
                    fix=fix,
                )

    def _fix(self, df: Dockerfile, stage: Stage, run: Instruction) -> Fix:
        sh = "/bin/ash" if _busybox_base(df, stage) else "/bin/bash"
        new = Instruction(
            keyword="SHELL",
            original=recased(run.original, "SHELL"),
            form="exec",
            args=(sh, "-o", "pipefail", "-c"),
        )
        return Fix(
            f"run the stage's commands under {sh} -o pipefail",
            (Replace(targets=(), replacement=(new,), before=run),),
            safe=False,
        )
