"""DG101: COPY/ADD with several sources and a destination not ending in ``/``."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity


class CopySourcesToNonDirectory(InstructionRule):
    """
    ## What it does
    Flags `COPY` and `ADD` with more than one source whose destination does not end in `/`.

    ## Why is this bad?
    With several sources the destination must be a directory written with a trailing `/`. When the
    destination does not exist yet, BuildKit does not fail (the Dockerfile reference says it should): it
    copies every source onto the same file, so the image holds one file `/app` with the content of the last
    source. The slash also tells the reader that `/app` is a directory and not a file name.

    The fix adds the `/`. It is offered as unsafe because it changes what the image contains (a directory
    with every source instead of one file holding the last); that is almost always what was meant.

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

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if len(ins.args) < 3:
            return
        dest = ins.args[-1]
        if dest.endswith("/") or dest.endswith("\\"):
            return
        new = _record.replace(ins, args=(*ins.args[:-1], dest + "/"))
        fix = Fix(
            f"write the destination as '{dest}/'", (Replace(targets=(ins,), replacement=(new,)),), safe=False
        )
        count = len(ins.args) - 1
        yield self.finding(
            ins,
            f"{ins.keyword} of {count} sources to '{dest}': the destination must end with '/'",
            fix=fix,
        )
