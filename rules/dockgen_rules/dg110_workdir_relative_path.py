"""DG110: relative WORKDIR with no absolute WORKDIR before it."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import inherited_instructions
from dockgen_rules._paths import is_absolute


def _unquoted(path: str) -> str:
    """The path without the quotes around it (``WORKDIR "/usr/bin/x/"``); backslashes stay (Windows)."""
    if len(path) >= 2 and path[0] == path[-1] and path[0] in "\"'":
        return path[1:-1]
    return path


class WorkdirRelativePath(Rule):
    """
    ## What it does
    Flags a relative `WORKDIR` when no absolute `WORKDIR` was set before it in the stage (or in a stage of the
    same file it is built from), as BuildKit does.

    hadolint's DL3000 flags every relative `WORKDIR`; dockgen, like BuildKit's `WorkdirRelativePath`,
    accepts one that follows an absolute `WORKDIR`, since it is then resolved against a known directory.

    ## Why is this bad?
    A relative `WORKDIR` is resolved against the working directory of the base image, which you do not
    control: when the base image changes, so does where your files go and where your command runs.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    ```

    ## References
    - hadolint DL3000, BuildKit WorkdirRelativePath, Trivy DS-0009, Checkov CKV_DOCKER_10
    - https://docs.docker.com/reference/build-checks/workdir-relative-path/
    """

    code = "DG110"
    name = "workdir-relative-path"
    triggers = frozenset({"WORKDIR"})
    severity = Severity.WARNING
    message = "relative WORKDIR without an absolute WORKDIR before it"
    equivalents = ("DL3000", "WorkdirRelativePath", "DS-0009", "CKV_DOCKER_10")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            absolute_set = any(
                i.keyword == "WORKDIR" and i.args and is_absolute(_unquoted(i.args[0]))
                for i in inherited_instructions(df, stage)
            )
            for ins in stage.instructions:
                if ins.keyword != "WORKDIR" or not ins.args:
                    continue
                path = _unquoted(ins.args[0])
                if is_absolute(path) or path.startswith("$"):
                    absolute_set = True
                    continue
                if not absolute_set:
                    yield self.finding(
                        ins,
                        f"relative WORKDIR '{path}' depends on the base image's working directory: use '/{path}'",
                    )
