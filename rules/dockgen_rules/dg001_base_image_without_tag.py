"""DG001: FROM an image without a tag."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import external_bases


class BaseImageWithoutTag(Rule):
    """
    ## What it does
    Flags `FROM` lines whose image has neither a tag nor a digest (`FROM python`). Global `ARG` defaults are
    expanded first; `scratch`, earlier stages and variables without a default are left alone.

    ## Why is this bad?
    An image without a tag means `:latest`, which moves whenever upstream publishes: the same Dockerfile
    builds a different image next week, and a major-version bump can break the build or the application
    without any change on your side.

    ## Example
    ```dockerfile
    FROM python
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim-bookworm
    ```

    ## References
    - hadolint DL3006, Trivy DS-0001, Checkov CKV_DOCKER_7
    - https://docs.docker.com/build/building/best-practices/#from
    """

    code = "DG001"
    name = "base-image-without-tag"
    severity = Severity.WARNING
    message = "base image has no tag: pin a version tag"
    equivalents = ("DL3006", "DS-0001", "CKV_DOCKER_7")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage, info in external_bases(ctx.dockerfile):
            if info.tag is None and info.digest is None:
                yield self.finding(
                    stage.from_, f"base image {info.image!r} has no tag (it means :latest): pin a version tag"
                )
