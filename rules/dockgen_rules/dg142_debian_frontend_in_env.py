"""DG142: ``ENV DEBIAN_FRONTEND=noninteractive`` persists into containers."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import IRInstruction, unquote
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity
from dockgen_rules._casing import recased


class DebianFrontendInEnv(InstructionRule):
    """
    ## What it does
    Flags `ENV DEBIAN_FRONTEND=...`.

    ## Why is this bad?
    The setting is only needed while `apt-get` runs during the build, but `ENV` bakes it into the image:
    every container, and every image built `FROM` this one, runs with it, and interactive `apt` or
    `dpkg-reconfigure` sessions in a running container silently take defaults. `ARG` sets it for the build
    steps of the stage only. The fix turns the `ENV` into an `ARG`; it is unsafe because the image's
    environment changes.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    ENV DEBIAN_FRONTEND=noninteractive
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    ARG DEBIAN_FRONTEND=noninteractive
    ```

    ## References
    - https://docs.docker.com/build/building/best-practices/#apt-get
    """

    code = "DG142"
    name = "debian-frontend-in-env"
    severity = Severity.INFO
    message = "DEBIAN_FRONTEND set with ENV persists into containers"
    fix_availability = FixAvailability.SOMETIMES
    keywords = frozenset({"ENV"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if not any(unquote(kv.key) == "DEBIAN_FRONTEND" for kv in ins.pairs):
            return
        fix = None
        if len(ins.pairs) == 1:
            new = _record.replace(ins, keyword="ARG", original=recased(ins.original, "ARG"), legacy=False)
            fix = Fix(
                "set DEBIAN_FRONTEND with ARG", (Replace(targets=(ins,), replacement=(new,)),), safe=False
            )
        yield self.finding(
            ins,
            "ENV DEBIAN_FRONTEND stays set in every container: use ARG DEBIAN_FRONTEND=... instead",
            fix=fix,
        )
