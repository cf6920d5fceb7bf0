"""DG136: a label the configured schema requires is missing from the final image."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._labels import OPTION, final_labels, label_schema

if TYPE_CHECKING:
    from typing import Any, ClassVar

# ---- value checks --------------------------------------------------------------------------------------


class RequiredLabelMissing(Rule):
    """
    ## What it does
    With a label schema configured (`required-labels`), flags each required label that no `LABEL` of the
    final stage (or of a stage of the same file it is built from) sets. Without the option it does nothing.

    ## Why is this bad?
    Teams rely on labels to trace an image back to its source, version and owner (`org.opencontainers.image.*`).
    An image without them cannot be attributed or audited.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.title=api
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.title=api
    LABEL org.opencontainers.image.source=https://git.example.com/team/api
    ```

    ## Options
    - `required-labels` (table): label -> `{ type = "semver" | "url" | "email" | "rfc3339" | "hash" | "spdx" |
      "text", required = true }`. The documentation examples use
      `{ "org.opencontainers.image.source" = { type = "url", required = true } }`.

    ## References
    - hadolint DL3049
    - https://github.com/opencontainers/image-spec/blob/main/annotations.md
    """

    code = "DG136"
    name = "required-label-missing"
    severity = Severity.WARNING
    message = "a required label is missing"
    equivalents = ("DL3049",)
    options_used = (OPTION,)
    #: Options used when the documentation examples are run as tests.
    example_options: ClassVar[dict[str, Any]] = {
        OPTION: {"org.opencontainers.image.source": {"type": "url", "required": True}}
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        schema = label_schema(ctx)
        stage = ctx.final_stage
        if not schema or stage is None:
            return
        present = final_labels(ctx.dockerfile, stage)
        for label, spec in schema.items():
            if spec.required and label not in present:
                yield self.finding(stage.from_, f"required label '{label}' ({spec.type}) is not set")
