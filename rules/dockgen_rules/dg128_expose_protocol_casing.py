"""DG128: EXPOSE protocol not in lower case."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity


def _lower_protocol(word: str) -> str:
    port, sep, proto = word.rpartition("/")
    return f"{port}/{proto.lower()}" if sep else word


class ExposeProtocolCasing(InstructionRule):
    """
    ## What it does
    Flags `EXPOSE` protocols written in upper or mixed case (`80/TCP`).

    ## Why is this bad?
    The image configuration spells protocols in lower case (`80/tcp`); an upper-case spelling makes BuildKit
    warn and confuses tools and readers that compare exposed ports as text. The fix writes the protocol in
    lower case.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80/TCP 53/UDP
    ```

    ## Use instead
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80/tcp 53/udp
    ```

    ## References
    - BuildKit ExposeProtoCasing
    - https://docs.docker.com/reference/build-checks/expose-proto-casing/
    """

    code = "DG128"
    name = "expose-protocol-casing"
    severity = Severity.WARNING
    message = "EXPOSE protocol should be lower case"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("ExposeProtoCasing",)
    keywords = frozenset({"EXPOSE"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        fixed = tuple(_lower_protocol(w) if "$" not in w else w for w in ins.args)
        if fixed == ins.args:
            return
        new = _record.replace(ins, args=fixed)
        fix = Fix("write the protocol in lower case", (Replace(targets=(ins,), replacement=(new,)),))
        bad = [w for w, f in zip(ins.args, fixed, strict=True) if w != f]
        yield self.finding(ins, f"EXPOSE {' '.join(bad)}: write the protocol in lower case", fix=fix)
