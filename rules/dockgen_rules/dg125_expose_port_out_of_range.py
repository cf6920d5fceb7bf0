"""DG125: EXPOSE of a port outside 0-65535."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen_rules._ports import parse_port


class ExposePortOutOfRange(InstructionRule):
    """
    ## What it does
    Flags `EXPOSE` of a port (or a port range bound) above 65535.

    ## Why is this bad?
    TCP and UDP ports are 16-bit numbers: such a port cannot be published and the build or the run fails.
    It is usually a typo.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80800
    ```

    ## Use instead
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 8080
    ```

    ## References
    - hadolint DL3011, Trivy DS-0008
    """

    code = "DG125"
    name = "expose-port-out-of-range"
    severity = Severity.ERROR
    message = "EXPOSE port outside 0-65535"
    equivalents = ("DL3011", "DS-0008")
    keywords = frozenset({"EXPOSE"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for word in ins.args:
            spec = parse_port(word)
            if spec is not None and max(spec.first, spec.last) > 65535:
                yield self.finding(ins, f"EXPOSE {word}: ports go from 0 to 65535")
