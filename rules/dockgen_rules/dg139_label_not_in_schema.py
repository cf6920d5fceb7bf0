"""DG139: a label not in the configured schema while ``strict-labels`` is on."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._labels import OPTION, all_labels, label_schema

if TYPE_CHECKING:
    from typing import Any, ClassVar

STRICT = "strict-labels"


class LabelNotInSchema(Rule):
    """
    ## What it does
    With `strict-labels = true` and a label schema (`required-labels`), flags every `LABEL` key that the
    schema does not list.

    ## Why is this bad?
    A strict schema keeps label keys consistent across a team's images: a typo (`org.opencontainers.image.vesion`)
    or an ad-hoc key is caught instead of silently adding a label nobody queries.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.title=api team=payments
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.title=api
    ```

    ## Options
    - `strict-labels` (bool, default false): turn the rule on.
    - `required-labels` (table): the schema (see DG136). The documentation examples use
      `{ "org.opencontainers.image.title" = { type = "text" } }`.

    ## References
    - hadolint DL3050
    """

    code = "DG139"
    name = "label-not-in-schema"
    triggers = frozenset({"LABEL"})
    severity = Severity.INFO
    message = "label is not in the schema"
    equivalents = ("DL3050",)
    options_used = (OPTION, STRICT)
    #: Options used when the documentation examples are run as tests.
    example_options: ClassVar[dict[str, Any]] = {
        STRICT: True,
        OPTION: {"org.opencontainers.image.title": {"type": "text"}},
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.option(STRICT) is not True:
            return
        schema = label_schema(ctx)
        for ins, kv in all_labels(ctx.dockerfile):
            if kv.key not in schema and "$" not in kv.key:
                yield self.finding(ins, f"label '{kv.key}' is not in the label schema (strict-labels is on)")
