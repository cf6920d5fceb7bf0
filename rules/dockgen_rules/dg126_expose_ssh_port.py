"""DG126: EXPOSE 22 (SSH)."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen_rules._ports import parse_port


class ExposeSshPort(InstructionRule):
    """
    ## What it does
    Flags `EXPOSE` of port 22 (alone or inside a range), the SSH port.

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

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for word in ins.args:
            spec = parse_port(word)
            if spec is None or (spec.protocol or "tcp").lower() != "tcp":
                continue
            if spec.first <= 22 <= spec.last:
                yield self.finding(ins, f"EXPOSE {word} opens SSH: use docker exec instead of an SSH server")
                return
