"""DG113: the final stage never sets USER."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import stage_chain
from dockgen_rules._users import last_user

#: Base image references that already run as an unprivileged user.
_NON_ROOT_MARKERS = ("nonroot", "non-root", "rootless")
#: Windows base images: users there are ContainerUser/ContainerAdministrator, not UIDs.
_WINDOWS_MARKERS = ("mcr.microsoft.com/windows", "nanoserver", "servercore")


class FinalStageWithoutUser(Rule):
    """
    ## What it does
    Flags a final stage that never sets `USER` (neither itself nor a stage of the same file it is built
    from). Base images whose reference says they run unprivileged (`...:nonroot`, `...-rootless`) are
    trusted. Not flagged: a `FROM scratch` image without `CMD` or `ENTRYPOINT` (an artifact image for
    `docker build --output` or `COPY --from`; nothing runs in it), and Windows base images (`nanoserver`,
    `servercore`: their users are `ContainerUser`/`ContainerAdministrator`, not UIDs). A `FROM scratch`
    image that does run something gets the advice to add a numeric `USER`, which needs no `/etc/passwd`.

    Whether a base image from a registry sets a non-root user of its own cannot be seen from the
    Dockerfile (most official images, `node` and `python` included, run as root even when they ship an
    unprivileged user); add `USER` explicitly, or silence the rule for such files with a pragma or
    `per-path-ignores`. This is the most frequent finding on real Dockerfiles (about nine in ten files of
    a corpus of official and community images, most of them base images that deliberately leave the user
    to their users), so it is `info` by default (with `failure-threshold = "warning"` it no longer fails a
    lint run); raise it with `DG113 = "warning"` under `[tool.dockgen.severity]` for application images. Trivy DS-0002 and Checkov CKV_DOCKER_3 report
    it as a failure; hadolint has no equivalent (its DL3002 is dockgen's DG112: an explicit `USER root`).

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
    severity = Severity.INFO
    message = "the final stage never sets USER"
    equivalents = ("DS-0002", "CKV_DOCKER_3")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        stage = ctx.final_stage
        if stage is None or last_user(ctx.dockerfile, stage) is not None:
            return
        chain = stage_chain(ctx.dockerfile, stage)
        base = chain[-1].base.lower()
        if any(marker in base for marker in _NON_ROOT_MARKERS + _WINDOWS_MARKERS):
            return
        runs = any(ins.keyword in ("CMD", "ENTRYPOINT") for s in chain for ins in s.instructions)
        if base == "scratch":
            if not runs:
                return
            yield self.finding(
                stage.from_,
                "FROM scratch runs its command as UID 0 (root): add e.g. 'USER 65534' (a numeric UID needs no "
                "/etc/passwd)",
            )
            return
        yield self.finding(
            stage.from_,
            "no USER in the final image: it runs as the base image's default user, root for most images: "
            "create an unprivileged user and add e.g. 'USER 10001'",
        )
