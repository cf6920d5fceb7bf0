"""DG127: EXPOSE with an IP address or a host:container mapping."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity


def container_port(word: str) -> str:
    """``8080:80/tcp`` -> ``80/tcp``; ``127.0.0.1:8080:80`` -> ``80`` (what the builder keeps)."""
    return word.rsplit(":", 1)[-1]


class ExposeInvalidFormat(InstructionRule):
    """
    ## What it does
    Flags `EXPOSE` words with an IP address or a `host:container` port mapping (`EXPOSE 8080:80`,
    `EXPOSE 127.0.0.1:80:80`).

    ## Why is this bad?
    An image only declares the container port; which host address and port it is published on is decided by
    `docker run -p` or Compose. The builder drops the host part with a warning, so the instruction does not do
    what it says. The fix keeps the container port, which is what the builder records anyway.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 8080:80
    ```

    ## Use instead
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80
    ```

    ## References
    - BuildKit ExposeInvalidFormat
    - https://docs.docker.com/reference/build-checks/expose-invalid-format/
    """

    code = "DG127"
    name = "expose-invalid-format"
    severity = Severity.WARNING
    message = "EXPOSE with an IP address or a host port mapping"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("ExposeInvalidFormat",)
    keywords = frozenset({"EXPOSE"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        bad = [w for w in ins.args if ":" in w and "$" not in w]
        if not bad:
            return
        new = _record.replace(ins, args=tuple(container_port(w) if w in bad else w for w in ins.args))
        fix = Fix("keep only the container port", (Replace(targets=(ins,), replacement=(new,)),))
        yield self.finding(
            ins,
            f"EXPOSE {' '.join(bad)}: an image declares container ports only; publish with 'docker run -p'",
            fix=fix,
        )
