"""DG121: more than one CMD in a stage."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, FixAvailability, LintContext, Rule, Severity
from dockgen_rules._overrides import overridden


class MultipleCmd(Rule):
    """
    ## What it does
    Flags every `CMD` of a stage that a later `CMD` in the same stage overrides.

    hadolint's DL4003 reports the later `CMD`s; dockgen reports the ones without effect, which are the
    ones to delete.

    ## Why is this bad?
    Only the last `CMD` takes effect. The earlier ones mislead the reader into thinking they run. The fix
    removes them, which does not change the image.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "migrate.py"]
    CMD ["python", "app.py"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "app.py"]
    ```

    ## References
    - hadolint DL4003, BuildKit MultipleInstructionsDisallowed, Trivy DS-0016
    - https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
    """

    code = "DG121"
    name = "multiple-cmd"
    triggers = frozenset({"CMD"})
    severity = Severity.WARNING
    message = "only the last CMD of a stage takes effect"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL4003", "MultipleInstructionsDisallowed", "DS-0016")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        yield from overridden(self, ctx, "CMD")
