"""DG156: commands that make no sense in a container build."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import run_commands

#: Command -> why it is pointless during a build.
POINTLESS: dict[str, str] = {
    "ssh": "there is no one to log in to during a build",
    "vim": "interactive editors cannot be used in a build",
    "vi": "interactive editors cannot be used in a build",
    "nano": "interactive editors cannot be used in a build",
    "emacs": "interactive editors cannot be used in a build",
    "service": "services do not keep running after the build step",
    "shutdown": "there is no system to shut down",
    "reboot": "there is no system to reboot",
    "halt": "there is no system to halt",
    "poweroff": "there is no system to power off",
    "ps": "process lists of a build step are meaningless",
    "top": "process monitors are interactive",
    "htop": "process monitors are interactive",
    "free": "the build machine's memory says nothing about the container",
    "kill": "processes of a build step end with it",
    "killall": "processes of a build step end with it",
    "pkill": "processes of a build step end with it",
    "mount": "mounts do not persist in the image",
    "umount": "mounts do not persist in the image",
    "ifconfig": "the build's network configuration is not the container's",
}


class PointlessCommand(InstructionRule):
    """
    ## What it does
    Flags `RUN` commands that are meaningless in an image build: interactive programs (`vim`, `nano`, `top`),
    service and system management (`service`, `shutdown`, `reboot`), process and system inspection (`ps`,
    `free`, `kill`, `ifconfig`), `mount` and `ssh` (unless the step has an SSH mount).

    ## Why is this bad?
    A build step runs once, non-interactively, in a throw-away process tree: services it starts do not keep
    running, mounts do not persist, and interactive tools hang or fail. Such commands usually come from a
    shell session pasted into a Dockerfile.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends nginx && service nginx start
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends nginx
    CMD ["nginx", "-g", "daemon off;"]
    ```

    ## References
    - hadolint DL3001
    """

    code = "DG156"
    name = "pointless-command"
    severity = Severity.INFO
    message = "command pointless in a container build"
    equivalents = ("DL3001",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        ssh_mount = any(m.get("type") == "ssh" for m in ins.mounts)
        for cmd in run_commands(ins):
            why = POINTLESS.get(cmd.name)
            if why is None or (cmd.name == "ssh" and ssh_mount):
                continue
            yield self.finding(ins, f"'{cmd.name}' in RUN: {why}")
            return
