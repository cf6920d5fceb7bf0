"""DG002: FROM an image tagged latest."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import external_bases


class BaseImageLatestTag(Rule):
    """
    ## What it does
    Flags `FROM image:latest` (after expanding global `ARG` defaults). An image pinned by digest as well
    (`image:latest@sha256:...`) is not flagged: the digest decides.

    ## Why is this bad?
    `latest` is a moving tag: rebuilding the same Dockerfile picks up whatever upstream published last,
    including major versions, so builds are neither reproducible nor reviewable.

    ## Example
    ```dockerfile
    FROM node:latest
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-bookworm-slim
    ```

    ## References
    - hadolint DL3007, Trivy DS-0001, Checkov CKV_DOCKER_7
    - https://docs.docker.com/build/building/best-practices/#from
    """

    code = "DG002"
    name = "base-image-latest-tag"
    severity = Severity.WARNING
    message = "base image uses the moving 'latest' tag: pin a version tag"
    equivalents = ("DL3007", "DS-0001", "CKV_DOCKER_7")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage, info in external_bases(ctx.dockerfile):
            if info.tag == "latest" and info.digest is None:
                yield self.finding(
                    stage.from_, f"base image {info.image!r} uses the moving 'latest' tag: pin a version"
                )
