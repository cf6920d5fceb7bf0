"""DG024: commands that make no sense in an image build."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.run import run_commands

POINTLESS: dict[str, str] = {
    "ssh": "there is no one to log in to during a build; copy files or use build secrets",
    "vim": "there is no terminal during a build",
    "vi": "there is no terminal during a build",
    "nano": "there is no terminal during a build",
    "emacs": "there is no terminal during a build",
    "shutdown": "there is no system to shut down in a container",
    "reboot": "there is no system to reboot in a container",
    "halt": "there is no system to halt in a container",
    "poweroff": "there is no system to power off in a container",
    "top": "it is interactive and shows only the build's processes",
    "htop": "it is interactive and shows only the build's processes",
    "free": "it reports the build host's memory, not the image's",
    "ps": "it shows only the build's own processes",
    "kill": "build steps have no long-running processes to kill",
    "mount": "builds cannot mount file systems; use RUN --mount",
    "ifconfig": "the build's network settings are not the container's",
    "service": "services started in a RUN stop when the RUN ends",
    "systemctl": "there is no init system in a container",
}


class PointlessCommandInContainer(InstructionRule):
    """
    ## What it does
    Flags commands that do nothing useful in a `RUN`: interactive tools (`vim`, `top`, `ssh`), system
    management (`shutdown`, `systemctl`, `service`), and process or host inspection (`ps`, `free`, `kill`,
    `ifconfig`, `mount`). Not flagged: `kill` of a process the same `RUN` started (`kill $!`), and
    `service x start` followed by more commands in the same `RUN` (a database seeded at build time).

    ## Why is this bad?
    A build runs without a terminal, without an init system and in a throw-away process namespace: these
    commands hang, fail, or report on the build machine instead of the image.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN service nginx restart
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    CMD ["nginx", "-g", "daemon off;"]
    ```

    ## References
    - hadolint DL3001
    """

    code = "DG024"
    name = "pointless-command-in-container"
    severity = Severity.INFO
    message = "this command makes no sense in a container build"
    equivalents = ("DL3001",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for i, cmd in enumerate(cmds):
            reason = POINTLESS.get(cmd.name)
            if reason is None:
                continue
            args = [w.text for w in cmd.args]
            if cmd.name == "kill" and any("$" in a for a in args):
                continue
            if cmd.name == "service" and "start" in args and i + 1 < len(cmds):
                continue
            yield self.finding(ins, f"{cmd.name} in RUN: {reason}")
            return
