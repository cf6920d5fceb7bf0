"""DG122: more than one ENTRYPOINT in a stage."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, FixAvailability, LintContext, Rule, Severity
from dockgen_rules._overrides import overridden


class MultipleEntrypoint(Rule):
    """
    ## What it does
    Flags every `ENTRYPOINT` of a stage that a later `ENTRYPOINT` in the same stage overrides.

    hadolint's DL4004 reports the later `ENTRYPOINT`s; dockgen reports the ones without effect, which are
    the ones to delete.

    ## Why is this bad?
    Only the last `ENTRYPOINT` takes effect. The earlier ones mislead the reader into thinking they run. The
    fix removes them, which does not change the image.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENTRYPOINT ["/docker-entrypoint.sh"]
    ENTRYPOINT ["python", "-m", "app"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENTRYPOINT ["python", "-m", "app"]
    ```

    ## References
    - hadolint DL4004, BuildKit MultipleInstructionsDisallowed, Trivy DS-0007
    - https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
    """

    code = "DG122"
    name = "multiple-entrypoint"
    triggers = frozenset({"ENTRYPOINT"})
    severity = Severity.ERROR
    message = "only the last ENTRYPOINT of a stage takes effect"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL4004", "MultipleInstructionsDisallowed", "DS-0007")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        yield from overridden(self, ctx, "ENTRYPOINT")
