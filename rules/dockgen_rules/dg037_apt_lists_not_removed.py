"""DG037: apt package lists left in the layer."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, Fix, InstructionRule, LintContext, Replace, Severity
from dockgen.shell import (
    Command,
    append_command,
    cache_mount_covers,
    find_install,
    run_commands,
    ships,
    with_command,
)

LISTS = "/var/lib/apt/lists"


def _is_update(cmd: Command) -> bool:
    return cmd.name in ("apt-get", "apt") and any(w.text == "update" for w in cmd.args)


def _removes_lists(cmd: Command) -> bool:
    return cmd.name in ("rm", "find") and any(w.text.startswith(LISTS) for w in cmd.args)


class AptListsNotRemoved(InstructionRule):
    """
    ## What it does
    Flags a `RUN` that runs `apt-get update` without removing `/var/lib/apt/lists` in the same `RUN`, and
    fixes it by appending `&& rm -rf /var/lib/apt/lists/*` after the last `apt-get` command. Not flagged:
    a `RUN` with a cache (or tmpfs) mount on `/var/lib/apt` or `/var/lib/apt/lists`, and builder stages that
    do not end up in the built image.

    The fix is safe unless a later `RUN` of the stage installs with `apt-get` without its own
    `apt-get update` (it relied on the lists): then it is offered as unsafe.

    ## Why is this bad?
    The package lists are 20-50 MB that nothing at run time needs; left in the layer they are pulled with
    every image.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - hadolint DL3009
    - https://docs.docker.com/build/building/best-practices/#apt-get
    """

    code = "DG037"
    name = "apt-lists-not-removed"
    severity = Severity.INFO
    message = "apt lists are left in the layer: remove /var/lib/apt/lists/* in the same RUN"
    fixable = "safe"
    equivalents = ("DL3009",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        df = ctx.dockerfile
        final = ctx.final_stage
        cmds = run_commands(ins)
        if not any(_is_update(c) for c in cmds) or any(_removes_lists(c) for c in cmds):
            return
        if cache_mount_covers(ins, LISTS) or not ships(df, ins, final.index if final else None):
            return
        fix = None
        text = None if ins.is_exec or ins.heredocs else ins.args[0]
        last = [c for c in cmds if c.name in ("apt-get", "apt")][-1]
        if text is not None:
            new = append_command(text, last, "rm -rf /var/lib/apt/lists/*")
            if new is not None:
                fix = Fix(
                    "remove the apt lists in the same RUN",
                    (Replace(targets=(ins,), replacement=(with_command(ins, new),)),),
                    safe=not self._later_install_relies(ctx, ins),
                )
        yield self.finding(ins, fix=fix)

    @staticmethod
    def _later_install_relies(ctx: LintContext, ins: Instruction) -> bool:
        stage = ctx.dockerfile.stage_of(ins)
        if stage is None:
            return False
        after = False
        for item in stage.instructions:
            if item is ins:
                after = True
                continue
            if after and item.keyword == "RUN":
                cmds = run_commands(item)
                if (find_install(cmds, "apt-get") or find_install(cmds, "apt")) and not any(
                    _is_update(c) for c in cmds
                ):
                    return True
        return False
