"""DG125: EXPOSE of a port outside 0-65535."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity

_PORT_RE = re.compile(r"^(\d+)(?:-(\d+))?(?:/([A-Za-z]+))?$")


@dataclass(frozen=True)
class PortSpec:
    """One ``EXPOSE`` word: ``first[-last][/proto]`` (mappings and IPs are not parsed here)."""

    first: int
    last: int
    protocol: str | None


def parse_port(word: str) -> PortSpec | None:
    """The port range of an EXPOSE word, or None for variables, mappings and malformed words."""
    m = _PORT_RE.match(word)
    if m is None:
        return None
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else first
    return PortSpec(first, last, m.group(3))


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

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for word in ins.args:
            spec = parse_port(word)
            if spec is not None and max(spec.first, spec.last) > 65535:
                yield self.finding(ins, f"EXPOSE {word}: ports go from 0 to 65535")
