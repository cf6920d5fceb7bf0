"""DG037: apt package lists left in the layer."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import append_command
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.packages import manager_subcommand
from dockgen.shell.run import cache_mount_covers, run_commands, shell_form_text
from dockgen.shell.syntax import Command

LISTS = "/var/lib/apt/lists"
_USERS = frozenset(
    {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download", "satisfy"}
)


def _is_update(cmd: Command) -> bool:
    return cmd.name in ("apt-get", "apt") and any(w.text == "update" for w in cmd.args)


def _uses_lists(cmd: Command) -> bool:
    """An apt command that reads the package lists (install, upgrade, ...)."""
    found = manager_subcommand(cmd)
    return found is not None and found[0] in ("apt-get", "apt") and found[2].text in _USERS


def _removes_lists(cmd: Command) -> bool:
    if cmd.name in ("apt-get", "apt") and any(w.text == "dist-clean" for w in cmd.args):
        return True  # apt >= 2.7 (Debian trixie): clean plus the package lists
    return cmd.name in ("rm", "find") and any(w.text.startswith(LISTS) for w in cmd.args)


class AptListsNotRemoved(InstructionRule):
    """
    ## What it does
    Flags a `RUN` that runs `apt-get update` without removing `/var/lib/apt/lists` in the same `RUN`, and
    fixes it by appending `&& rm -rf /var/lib/apt/lists/*` after the last `apt-get` command. `apt-get
    dist-clean` (apt 2.7, Debian trixie) removes the lists too; hadolint's DL3009 does not know it and flags
    those `RUN`s. Not flagged:
    a `RUN` with a cache (or tmpfs) mount on `/var/lib/apt` or `/var/lib/apt/lists`, and builder stages that
    do not end up in the built image.

    A `RUN` that only updates (no `apt-get install`/`upgrade` in it) while a later `RUN` of the stage installs
    is left to DG038 (package-update-without-install), whose fix moves the update into the install `RUN`;
    removing the lists there would make that install fail. When a later `RUN` installs with `apt-get`
    without its own `apt-get update` (it relies on these lists), the finding has no fix: join the `RUN`s
    first (DG019), then the lists are removed after the last install.

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
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3009",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        if not any(_is_update(c) for c in cmds) or any(_removes_lists(c) for c in cmds):
            return
        if cache_mount_covers(ins, LISTS) or not ctx.ships(ins):
            return
        later = self._later_installs(ctx, ins)
        if later and not any(_uses_lists(c) for c in cmds):
            return  # update-only RUN: DG038 moves it into the install; its lists are needed there
        fix = None
        text = shell_form_text(ins)
        last = [c for c in cmds if c.name in ("apt-get", "apt")][-1]
        if text is not None and not any(relies for relies in later):
            new = append_command(text, last, "rm -rf /var/lib/apt/lists/*")
            if new is not None:
                fix = command_fix("remove the apt lists in the same RUN", ins, new)
        yield self.finding(ins, fix=fix)

    @staticmethod
    def _later_installs(ctx: LintContext, ins: IRInstruction) -> list[bool]:
        """One entry per later RUN of the stage that installs with apt: True when it has no update of its own
        (it relies on the lists ``ins`` leaves)."""
        stage = ctx.dockerfile.stage_of(ins)
        if stage is None:
            return []
        out: list[bool] = []
        after = False
        for item in stage.instructions:
            if item is ins:
                after = True
                continue
            if after and item.keyword == "RUN":
                cmds = run_commands(item)
                if any(_uses_lists(c) for c in cmds):
                    out.append(not any(_is_update(c) for c in cmds))
        return out
