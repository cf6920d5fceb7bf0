"""DG124: the final image has no HEALTHCHECK (opt-in)."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import stage_chain


class MissingHealthcheck(Rule):
    """
    ## What it does
    Opt-in. Flags a final stage with no `HEALTHCHECK` (neither itself nor a stage of the same file it is
    built from). `HEALTHCHECK NONE` counts as a deliberate choice.

    ## Why is this bad?
    Without a health check, Docker and Compose only know whether the process runs, not whether it serves.
    Orchestrators that ignore `HEALTHCHECK` (Kubernetes uses probes) make this rule noise, hence opt-in.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "http.server", "8000"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://localhost:8000/')"]
    CMD ["python", "-m", "http.server", "8000"]
    ```

    ## References
    - hadolint DL3057, Trivy DS-0026, Checkov CKV_DOCKER_2
    - https://docs.docker.com/reference/dockerfile/#healthcheck
    """

    code = "DG124"
    name = "missing-healthcheck"
    severity = Severity.INFO
    enabled_by_default = False
    message = "the final image has no HEALTHCHECK"
    equivalents = ("DL3057", "DS-0026", "CKV_DOCKER_2")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        stage = ctx.final_stage
        if stage is None:
            return
        for s in stage_chain(ctx.dockerfile, stage):
            if any(i.keyword == "HEALTHCHECK" for i in s.instructions):
                return
        yield self.finding(stage.from_, "the final image has no HEALTHCHECK")
