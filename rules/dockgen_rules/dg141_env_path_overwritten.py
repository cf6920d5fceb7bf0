"""DG141: ``ENV PATH=...`` without ``$PATH`` drops the base image's PATH."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import unquote, variable_references
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import stage_chain


class EnvPathOverwritten(Rule):
    """
    ## What it does
    Flags `ENV PATH=...` whose value does not include `$PATH` (or `${PATH}`), in stages built on an image
    (stages `FROM scratch` have no PATH to keep).

    ## Why is this bad?
    The base image's `PATH` (`/usr/local/sbin:/usr/local/bin:...`, plus whatever the image adds, such as
    `/usr/local/go/bin`) is replaced: commands found before stop being found, in later `RUN`s and at run time.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENV PATH=/opt/venv/bin
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENV PATH=/opt/venv/bin:$PATH
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#env
    """

    code = "DG141"
    name = "env-path-overwritten"
    triggers = frozenset({"ENV"})
    severity = Severity.WARNING
    message = "ENV PATH without $PATH drops the base image's PATH"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            if stage_chain(df, stage)[-1].base.lower() == "scratch":
                continue
            for ins in stage.instructions:
                if ins.keyword != "ENV":
                    continue
                for kv in ins.pairs:
                    if unquote(kv.key) != "PATH" or kv.value is None:
                        continue
                    if "PATH" not in variable_references(kv.value):
                        yield self.finding(
                            ins, f"ENV PATH={kv.value} replaces the base image's PATH: append :$PATH"
                        )
