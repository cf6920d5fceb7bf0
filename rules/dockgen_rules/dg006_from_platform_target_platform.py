"""DG006: FROM --platform=$TARGETPLATFORM, which is the default anyway."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen import _record
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity

_TARGET = frozenset({"$TARGETPLATFORM", "${TARGETPLATFORM}"})


class FromPlatformTargetPlatform(Rule):
    """
    ## What it does
    Flags `FROM --platform=$TARGETPLATFORM`, and fixes it by removing the flag.

    ## Why is this bad?
    A stage is built for the target platform by default, so the flag says nothing and suggests to readers
    that something special is going on. The fix is safe: the built image is the same.

    ## Example
    ```dockerfile
    FROM --platform=$TARGETPLATFORM alpine:3.20
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    ```

    ## References
    - hadolint DL3065, BuildKit RedundantTargetPlatform
    - https://docs.docker.com/reference/build-checks/redundant-target-platform/
    """

    code = "DG006"
    name = "from-platform-target-platform"
    severity = Severity.INFO
    message = "FROM --platform=$TARGETPLATFORM is redundant"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL3065", "RedundantTargetPlatform")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            ins = stage.from_
            platform = ins.flag("platform")
            if platform is None or platform.strip() not in _TARGET:
                continue
            new = _record.replace(ins, flags=tuple(f for f in ins.flags if f.name != "platform"))
            fix = Fix("remove --platform=$TARGETPLATFORM", (Replace(targets=(ins,), replacement=(new,)),))
            yield self.finding(
                ins, "FROM --platform=$TARGETPLATFORM is the default: remove the flag", fix=fix
            )
