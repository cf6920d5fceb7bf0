"""DG027: wget without --progress (or -q/-nv) floods the build log."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import insert_after
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import flag_word
from dockgen.shell.run import run_commands, shell_form_text
from dockgen.stages import posix_shell

#: wget short options whose value is the rest of the cluster.
_VALUE = "OoaPetTwUiBlARDIXQY"
#: Bases whose wget is BusyBox or wget2 (no --progress=dot:giga): no automatic fix there.
_NO_FIX_BASES = ("alpine", "busybox", "fedora", "ubi", "rocky", "alma", "centos", "rhel", "amazonlinux")


class WgetWithoutProgress(InstructionRule):
    """
    ## What it does
    Flags `wget` without `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose` or a log file (`-o`, `-a`), and
    fixes it by adding `--progress=dot:giga` right after `wget`. The fix is safe (only the build output
    changes); it is not offered on Alpine/BusyBox and RPM-based images, whose `wget` may not know that
    option.

    ## Why is this bad?
    Without a TTY, GNU wget prints a progress line every few kilobytes: a large download adds thousands of
    lines to the build log and hides the output that matters.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget https://example.com/tool.tar.gz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget --progress=dot:giga https://example.com/tool.tar.gz
    ```

    ## References
    - hadolint DL3047
    """

    code = "DG027"
    name = "wget-without-progress"
    severity = Severity.INFO
    message = "wget without --progress floods the build log"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3047",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if not posix_shell(ctx.dockerfile, ins):
            return
        stage = ctx.dockerfile.stage_of(ins)
        base = stage.base.lower() if stage is not None else ""
        text = shell_form_text(ins)
        for cmd in run_commands(ins):
            if cmd.name != "wget":
                continue
            quiet = flag_word(
                cmd, "-q", "--quiet", "-nv", "--no-verbose", "--progress", "-o", "--output-file", "-a",
                "--append-output", "--show-progress", value_flags=_VALUE,
            )  # fmt: skip
            if quiet is not None:
                continue
            fix = None
            if text is not None and cmd.script == -1 and not any(b in base for b in _NO_FIX_BASES):
                new = insert_after(text, cmd.words[0].end, "--progress=dot:giga")
                fix = command_fix("add --progress=dot:giga", ins, new)
            yield self.finding(ins, fix=fix)
            return
