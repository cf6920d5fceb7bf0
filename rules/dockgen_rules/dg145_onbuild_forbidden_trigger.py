"""DG145: ONBUILD triggering FROM, ONBUILD or MAINTAINER."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity

_FORBIDDEN = frozenset({"FROM", "ONBUILD", "MAINTAINER"})


class OnbuildForbiddenTrigger(Rule):
    """
    ## What it does
    Flags `ONBUILD` instructions whose trigger is `FROM`, `ONBUILD` or `MAINTAINER`.

    ## Why is this bad?
    The builder refuses these triggers: `ONBUILD FROM` and `ONBUILD ONBUILD` are errors, and so is
    `ONBUILD MAINTAINER`. The image that inherits the trigger cannot be built. dockgen parses the file anyway
    and reports the problem here, with the rest of the file's findings, instead of stopping at the first one.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ONBUILD FROM debian:bookworm
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ONBUILD COPY requirements.txt /app/
    ```

    ## References
    - hadolint DL3043
    - https://docs.docker.com/reference/dockerfile/#onbuild
    """

    code = "DG145"
    name = "onbuild-forbidden-trigger"
    triggers = frozenset({"ONBUILD"})
    severity = Severity.ERROR
    message = "ONBUILD cannot trigger FROM, ONBUILD or MAINTAINER"
    equivalents = ("DL3043",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "ONBUILD" or ins.sub is None or ins.sub.keyword not in _FORBIDDEN:
                continue
            yield self.finding(
                ins, f"ONBUILD {ins.sub.keyword}: {ins.sub.keyword} isn't allowed as an ONBUILD trigger"
            )
