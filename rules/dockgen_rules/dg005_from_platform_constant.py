"""DG005: FROM --platform with a constant value."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class FromPlatformConstant(Rule):
    """
    ## What it does
    Flags `FROM --platform=linux/amd64 ...`: a platform written as a constant instead of a build argument
    such as `$BUILDPLATFORM` or `$TARGETPLATFORM`. A stage whose name mentions the platform's architecture or
    OS (`FROM --platform=linux/arm64 alpine AS tools-arm64`) is taken as deliberate and not flagged.

    ## Why is this bad?
    A constant platform silently overrides `docker build --platform`: a multi-platform build produces images
    that all contain amd64 binaries, or runs everything under slow emulation.

    ## Example
    ```dockerfile
    FROM --platform=linux/amd64 python:3.12-slim
    ```

    ## Use instead
    ```dockerfile
    FROM --platform=$BUILDPLATFORM python:3.12-slim
    ```

    ## References
    - hadolint DL3029, BuildKit FromPlatformFlagConstDisallowed
    - https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/
    """

    code = "DG005"
    name = "from-platform-constant"
    severity = Severity.WARNING
    message = "FROM --platform uses a constant value"
    equivalents = ("DL3029", "FromPlatformFlagConstDisallowed")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            platform = stage.from_.flag("platform")
            if not platform or "$" in platform:
                continue
            name = (stage.name or "").lower()
            parts = [p for p in platform.lower().replace("/", " ").split() if p]
            if name and any(p in name for p in parts):
                continue
            yield self.finding(
                stage.from_,
                f"FROM --platform={platform} is a constant: use $BUILDPLATFORM/$TARGETPLATFORM or drop it",
            )
