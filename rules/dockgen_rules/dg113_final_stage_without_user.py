"""DG113: the final stage never sets USER."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules.dg102_copy_relative_destination_without_workdir import stage_chain
from dockgen_rules.dg112_final_user_root import last_user

#: Base image references that already run as an unprivileged user.
_NON_ROOT_MARKERS = ("nonroot", "non-root", "rootless")


class FinalStageWithoutUser(Rule):
    """
    ## What it does
    Flags a final stage that never sets `USER` (neither itself nor a stage of the same file it is built
    from). Base images whose reference says they run unprivileged (`...:nonroot`, `...-rootless`) are
    trusted.

    ## Why is this bad?
    Without `USER` the container runs as whatever the base image chose, which is root for nearly all of them.
    Create an unprivileged user and switch to it by numeric UID, so that the runtime can verify it is not root
    (Kubernetes `runAsNonRoot`).

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY app.py /app/
    CMD ["python", "/app/app.py"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --uid 10001 --no-create-home app
    COPY app.py /app/
    USER 10001
    CMD ["python", "/app/app.py"]
    ```

    ## References
    - Trivy DS-0002, Checkov CKV_DOCKER_3
    - https://docs.docker.com/build/building/best-practices/#user
    """

    code = "DG113"
    name = "final-stage-without-user"
    severity = Severity.WARNING
    message = "the final stage never sets USER"
    equivalents = ("DS-0002", "CKV_DOCKER_3")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        stage = ctx.final_stage
        if stage is None or last_user(ctx.dockerfile, stage) is not None:
            return
        root = stage_chain(ctx.dockerfile, stage)[-1]
        base = root.base.lower()
        if any(marker in base for marker in _NON_ROOT_MARKERS):
            return
        yield self.finding(
            stage.from_,
            "the final image runs as the base image's user (usually root): add e.g. 'USER 10001' after "
            "creating that user",
        )
