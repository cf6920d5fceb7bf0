"""DG123: more than one HEALTHCHECK in a stage."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, FixAvailability, LintContext, Rule, Severity
from dockgen_rules._overrides import overridden


class MultipleHealthcheck(Rule):
    """
    ## What it does
    Flags every `HEALTHCHECK` of a stage that a later `HEALTHCHECK` in the same stage overrides.

    hadolint's DL3012 reports the later `HEALTHCHECK`s; dockgen reports the ones without effect, which are
    the ones to delete.

    ## Why is this bad?
    Only the last `HEALTHCHECK` takes effect. The earlier ones mislead the reader into thinking they run. The
    fix removes them, which does not change the image.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    HEALTHCHECK --interval=30s CMD curl -f http://localhost/healthz || exit 1
    ```

    ## Use instead
    ```dockerfile
    FROM nginx:1.27
    HEALTHCHECK --interval=30s CMD curl -f http://localhost/healthz || exit 1
    ```

    ## References
    - hadolint DL3012, BuildKit MultipleInstructionsDisallowed, Trivy DS-0023
    - https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
    """

    code = "DG123"
    name = "multiple-healthcheck"
    triggers = frozenset({"HEALTHCHECK"})
    severity = Severity.ERROR
    message = "only the last HEALTHCHECK of a stage takes effect"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL3012", "MultipleInstructionsDisallowed", "DS-0023")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        yield from overridden(self, ctx, "HEALTHCHECK")
