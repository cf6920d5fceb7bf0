"""DG039: dist-upgrade / full-upgrade in a build."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.packages import manager_subcommand
from dockgen.shell.run import run_commands

_DIST = {
    "apt-get": frozenset({"dist-upgrade"}),
    "apt": frozenset({"dist-upgrade", "full-upgrade"}),
    "aptitude": frozenset({"dist-upgrade", "full-upgrade"}),
    "zypper": frozenset({"dist-upgrade", "dup"}),
}


class DistUpgrade(InstructionRule):
    """
    ## What it does
    Flags `apt-get dist-upgrade`, `apt full-upgrade` and `zypper dist-upgrade`/`dup` in a `RUN`.

    ## Why is this bad?
    A distribution upgrade may remove packages and move the image to another release's packages,
    depending on the day it is built: the base image no longer describes what you ship. Use a newer base
    image (or `apt-get upgrade` of specific packages for a security fix) instead.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get dist-upgrade -y
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-20240701-slim
    RUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl
    ```

    ## References
    - hadolint DL3035 (zypper), Trivy DS-0024 (deprecated)
    """

    code = "DG039"
    name = "dist-upgrade"
    severity = Severity.WARNING
    message = "dist-upgrade in a build: use a newer base image"
    equivalents = ("DL3035", "DS-0024")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            found = manager_subcommand(cmd)
            if found is not None and found[2].text in _DIST.get(found[0], frozenset()):
                yield self.finding(
                    ins, f"{found[0]} {found[2].text} in a build: use a newer base image instead"
                )
                return
