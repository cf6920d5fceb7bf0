"""DG101: COPY/ADD with several sources and a destination not ending in ``/``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity


class CopySourcesToNonDirectory(InstructionRule):
    """
    ## What it does
    Flags `COPY` and `ADD` with more than one source whose destination does not end in `/`.

    ## Why is this bad?
    With several sources the destination must be a directory, and BuildKit insists that it is written with a
    trailing `/`; the build fails otherwise. The slash also tells the reader that `/app` is a directory and
    not a file name.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY pyproject.toml README.md /app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY pyproject.toml README.md /app/
    ```

    ## References
    - hadolint DL3021, Trivy DS-0011
    - https://docs.docker.com/reference/dockerfile/#copy
    """

    code = "DG101"
    name = "copy-sources-to-non-directory"
    severity = Severity.ERROR
    message = "several sources need a destination directory ending in '/'"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL3021", "DS-0011")
    keywords = frozenset({"COPY", "ADD"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        if len(ins.args) < 3:
            return
        dest = ins.args[-1]
        if dest.endswith("/") or dest.endswith("\\"):
            return
        new = dataclasses.replace(ins, args=(*ins.args[:-1], dest + "/"))
        fix = Fix(f"write the destination as '{dest}/'", (Replace(targets=(ins,), replacement=(new,)),))
        count = len(ins.args) - 1
        yield self.finding(
            ins,
            f"{ins.keyword} of {count} sources to '{dest}': the destination must end with '/'",
            fix=fix,
        )
