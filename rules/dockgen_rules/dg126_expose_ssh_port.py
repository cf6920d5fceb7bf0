"""DG126: EXPOSE 22 (SSH)."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen_rules._ports import parse_port

_SSH_SERVER = lazy_compile(r"(?i)\b(?:sshd|dropbear|openssh(?:-server)?|gitea|gogs|gitlab|sftp)\b")


def _ssh_is_the_product(ins: IRInstruction, ctx: LintContext) -> bool:
    """The image exists to serve SSH: its command starts an SSH server, or its base image is one."""
    stage = ctx.dockerfile.stage_of(ins)
    if stage is None:
        return False
    if _SSH_SERVER.search(stage.base):
        return True
    for item in stage.instructions:
        if item.keyword in ("CMD", "ENTRYPOINT") and any(_SSH_SERVER.search(a) for a in item.args):
            return True
    return False


class ExposeSshPort(InstructionRule):
    """
    ## What it does
    Flags `EXPOSE` of port 22 (alone or inside a range), the SSH port -- unless the image exists to serve SSH:
    its `CMD`/`ENTRYPOINT` starts `sshd`, `dropbear` or an SSH-serving application (Gitea, Gogs, GitLab, an
    SFTP server), or its base image is one. Trivy's DS-0004 and Checkov's CKV_DOCKER_1 flag those too.

    ## Why is this bad?
    Running an SSH server in a container adds an attack surface, keys to manage and a second process to
    supervise. Use `docker exec` (or `kubectl exec`) to get a shell in a running container.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    EXPOSE 22 8080
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    EXPOSE 8080
    ```

    ## References
    - Trivy DS-0004, Checkov CKV_DOCKER_1
    """

    code = "DG126"
    name = "expose-ssh-port"
    severity = Severity.WARNING
    message = "EXPOSE of the SSH port 22"
    equivalents = ("DS-0004", "CKV_DOCKER_1")
    keywords = frozenset({"EXPOSE"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for word in ins.args:
            spec = parse_port(word)
            if spec is None or (spec.protocol or "tcp").lower() != "tcp":
                continue
            if spec.first <= 22 <= spec.last:
                if _ssh_is_the_product(ins, ctx):
                    return
                yield self.finding(ins, f"EXPOSE {word} opens SSH: use docker exec instead of an SSH server")
                return
