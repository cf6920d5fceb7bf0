"""DG112: the last USER of the final stage is root."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._users import is_root, last_user


class FinalUserRoot(Rule):
    """
    ## What it does
    Flags a final image whose last `USER` is `root` (or UID `0`). The final stage is the `target` being
    built, else the last stage; a stage built from another stage of the file inherits its `USER`.

    ## Why is this bad?
    A container running as root turns any bug in the application into root access to the container, and one
    kernel or runtime flaw away from the host. Switch to root for the setup steps that need it, then back to
    an unprivileged user.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    USER root
    RUN useradd --create-home app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    USER root
    RUN useradd --create-home app
    USER app
    ```

    ## References
    - hadolint DL3002, Trivy DS-0002, Checkov CKV_DOCKER_8
    - https://docs.docker.com/build/building/best-practices/#user
    """

    code = "DG112"
    name = "final-user-root"
    triggers = frozenset({"USER"})
    severity = Severity.WARNING
    message = "the image runs as root"
    equivalents = ("DL3002", "DS-0002", "CKV_DOCKER_8")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        stage = ctx.final_stage
        if stage is None:
            return
        user = last_user(ctx.dockerfile, stage)
        if user is not None and is_root(user):
            yield self.finding(
                user, f"the last USER of the final image is '{user.args[0]}': switch to a non-root user"
            )
