"""DG146: a system package manager run after USER switched to a non-root user."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Dockerfile, IRInstruction, IRStage
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.shell.packages import manager_subcommand
from dockgen.shell.run import run_commands
from dockgen.stages import stage_chain
from dockgen_rules._users import is_root, user_part

#: System package managers and the subcommands that need root.
_ROOT_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "apt-get": frozenset({"install", "update", "upgrade", "dist-upgrade", "remove", "purge", "autoremove"}),
    "apt": frozenset({"install", "update", "upgrade", "full-upgrade", "remove", "purge", "autoremove"}),
    "apk": frozenset({"add", "update", "upgrade", "del"}),
    "yum": frozenset({"install", "update", "upgrade", "remove", "erase", "groupinstall"}),
    "dnf": frozenset({"install", "update", "upgrade", "remove", "erase", "groupinstall"}),
    "microdnf": frozenset({"install", "update", "upgrade", "remove"}),
    "zypper": frozenset({"install", "in", "update", "up", "remove", "rm", "refresh", "ref"}),
}
_ELEVATE = frozenset({"sudo", "doas", "gosu", "su-exec", "su"})


def _inherited_user(df: Dockerfile, stage: IRStage) -> IRInstruction | None:
    """The USER in effect at the start of ``stage``: the last one of the stages of this file it is built from."""
    for parent in stage_chain(df, stage)[1:]:
        for item in reversed(parent.instructions):
            if item.keyword == "USER" and item.args:
                return item
    return None


class SystemPackageInstallAsNonRoot(Rule):
    """
    ## What it does
    Flags `apt-get`/`apt`, `apk`, `yum`/`dnf`/`microdnf` and `zypper` installs, updates and removals in a
    `RUN` that runs as a non-root user: after `USER app` in the same stage or in a stage of the same file it
    is built `FROM`. Not flagged: commands run through `sudo`, `doas`, `gosu` or `su-exec`, and stages whose
    user comes from a registry image (the Dockerfile cannot tell who that is).

    ## Why is this bad?
    System package managers write to `/var/lib/dpkg`, `/lib/apk/db`, `/var/lib/rpm`... which only root may
    write. The build fails at that step with a permission error ("Could not open lock file", "Permission
    denied"). Switch to root for the step and back: `USER root`, the install, then `USER app`.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app
    USER app
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app
    USER root
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    USER app
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#user
    """

    code = "DG146"
    name = "system-package-install-as-non-root"
    severity = Severity.ERROR
    message = "system package manager run as a non-root user"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            user = _inherited_user(df, stage)
            for ins in stage.instructions:
                if ins.keyword == "USER" and ins.args:
                    user = ins
                if ins.keyword != "RUN":
                    continue
                if user is None or is_root(user) or "$" in user_part(user):
                    continue
                for cmd in run_commands(ins):
                    found = manager_subcommand(cmd)
                    if found is None or set(cmd.prefixes) & _ELEVATE:
                        continue
                    manager, _, sub = found
                    if sub.text in _ROOT_SUBCOMMANDS.get(manager, frozenset()):
                        yield self.finding(
                            ins,
                            f"{manager} {sub.text} runs as user '{user_part(user)}' (USER at line {user.line}) "
                            "and fails without root: put USER root before this RUN and switch back after it",
                        )
                        break
