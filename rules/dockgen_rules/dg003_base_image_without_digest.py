"""DG003: FROM an image not pinned by digest (opt-in)."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import external_bases


class BaseImageWithoutDigest(Rule):
    """
    ## What it does
    Flags `FROM` images without an `@sha256:` digest. Off by default: enable it when you want fully
    reproducible builds and have a bot (Renovate, Dependabot) that refreshes digests.

    ## Why is this bad?
    Even a precise tag such as `python:3.12.4-slim` is re-pushed by upstream for security rebuilds. Only a
    digest names exact bytes, so only a digest makes a rebuild produce the same image and protects against a
    tampered tag.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim@sha256:2ee1e2b4e0ad2a1f2b0e6d6b5bdb3a2c76c6bd8a8f2b1f6b4d1c1c7b7a2d5e9f0
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
    """

    code = "DG003"
    name = "base-image-without-digest"
    severity = Severity.INFO
    enabled_by_default = False
    message = "base image is not pinned by digest"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage, info in external_bases(ctx.dockerfile):
            if info.digest is None:
                yield self.finding(
                    stage.from_, f"base image {info.image!r} is not pinned by digest (add @sha256:...)"
                )
