"""DG102: COPY/ADD to a relative destination while no WORKDIR is set."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import inherited_instructions
from dockgen_rules._paths import is_absolute


class CopyRelativeDestinationWithoutWorkdir(Rule):
    """
    ## What it does
    Flags `COPY` and `ADD` to a relative destination in a stage where no `WORKDIR` was set (in the stage or in
    a stage of the same file it is built from).

    ## Why is this bad?
    A relative destination is resolved against the working directory inherited from the base image, which is
    `/` for most images but not all, and can change when the base image changes. Set a `WORKDIR` or use an
    absolute destination so the files land where you expect.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY app.py app/
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /srv
    COPY app.py app/
    ```

    ## References
    - hadolint DL3045
    - https://docs.docker.com/reference/dockerfile/#workdir
    """

    code = "DG102"
    name = "copy-relative-destination-without-workdir"
    triggers = frozenset({"COPY", "ADD"})
    severity = Severity.WARNING
    message = "relative COPY destination without a WORKDIR"
    equivalents = ("DL3045",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            has_workdir = any(i.keyword == "WORKDIR" for i in inherited_instructions(df, stage))
            for ins in stage.instructions:
                if ins.keyword == "WORKDIR":
                    has_workdir = True
                    continue
                if has_workdir or ins.keyword not in ("COPY", "ADD") or len(ins.args) < 2:
                    continue
                dest = ins.args[-1]
                if is_absolute(dest) or dest.startswith("$"):
                    continue
                yield self.finding(
                    ins,
                    f"{ins.keyword} to the relative destination '{dest}' with no WORKDIR set: "
                    "set WORKDIR first or use an absolute path",
                )
