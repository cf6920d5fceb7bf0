"""DG048: yum/dnf/zypper install without a non-interactive flag."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import add_option
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import flag_word
from dockgen.shell.packages import manager_subcommand
from dockgen.shell.run import run_commands, shell_form_text

_ASKS: dict[str, frozenset[str]] = {
    "yum": frozenset({"install", "groupinstall", "localinstall", "remove", "erase", "update", "upgrade", "reinstall", "downgrade"}),
    "dnf": frozenset({"install", "groupinstall", "localinstall", "remove", "erase", "update", "upgrade", "reinstall", "downgrade"}),
    "zypper": frozenset({"install", "in", "remove", "rm", "update", "up", "patch", "dist-upgrade", "dup"}),
}  # fmt: skip


class PackageInstallWithoutYes(InstructionRule):
    """
    ## What it does
    Flags `yum`/`dnf` installs, removals and updates without `-y`/`--assumeyes`, and `zypper` ones without
    `-n`/`--non-interactive` (before the subcommand) or `-y`/`--no-confirm` (after it). The fix adds `-y`
    after the subcommand. It is unsafe by dockgen's definition (a safe fix leaves the build's outcome
    unchanged): the build that stopped at the question now goes on and installs.

    ## Why is this bad?
    The command stops to ask for confirmation; a build has no terminal, so it aborts.

    ## Example
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install httpd-2.4.57 && dnf clean all
    ```

    ## Use instead
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install -y httpd-2.4.57 && dnf clean all
    ```

    ## References
    - hadolint DL3030 (yum), DL3038 (dnf), DL3034 (zypper)
    """

    code = "DG048"
    name = "package-install-without-yes"
    severity = Severity.WARNING
    message = "package manager will ask for confirmation and abort the build"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3030", "DL3038", "DL3034")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        bad = []
        for cmd in run_commands(ins):
            found = manager_subcommand(cmd)
            if found is None or found[2].text not in _ASKS.get(found[0], frozenset()):
                continue
            manager, idx, _ = found
            if manager == "zypper":
                ok = flag_word(cmd, "-n", "--non-interactive", "-y", "--no-confirm") is not None
            else:
                ok = flag_word(cmd, "-y", "--assumeyes") is not None or any(
                    w.text in ("--setopt=assumeyes=1", "--setopt=assumeyes=True") for w in cmd.args
                )
            if not ok:
                bad.append((cmd, idx, manager))
        if not bad:
            return
        new = add_option(shell_form_text(ins), [(cmd, idx) for cmd, idx, _ in bad], "-y")
        fix = None if new is None else command_fix("add -y", ins, new, safe=False)
        yield self.finding(
            ins, f"{bad[0][2]} {bad[0][0].words[bad[0][1]].text} without -y asks for confirmation", fix=fix
        )
