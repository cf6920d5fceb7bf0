"""DG137: a label of the configured schema has an empty value."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._labels import OPTION, all_labels, label_schema

if TYPE_CHECKING:
    from typing import Any, ClassVar


class LabelEmpty(Rule):
    """
    ## What it does
    With a label schema configured (`required-labels`), flags a `LABEL` of the schema whose value is empty.

    ## Why is this bad?
    An empty label satisfies a presence check while carrying no information, which usually means a build
    argument was not passed.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.revision=""
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ARG GIT_SHA
    LABEL org.opencontainers.image.revision=$GIT_SHA
    ```

    ## Options
    - `required-labels` (table): label -> `{ type, required }` (see DG136). The documentation examples use
      `{ "org.opencontainers.image.revision" = { type = "hash" } }`.

    ## References
    - hadolint DL3051
    """

    code = "DG137"
    name = "label-empty"
    triggers = frozenset({"LABEL"})
    severity = Severity.WARNING
    message = "label of the schema is empty"
    equivalents = ("DL3051",)
    options_used = (OPTION,)
    #: Options used when the documentation examples are run as tests.
    example_options: ClassVar[dict[str, Any]] = {
        OPTION: {"org.opencontainers.image.revision": {"type": "hash"}}
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        schema = label_schema(ctx)
        if not schema:
            return
        for ins, kv in all_labels(ctx.dockerfile):
            if kv.key in schema and not (kv.unquoted or "").strip():
                yield self.finding(ins, f"label '{kv.key}' is empty")
