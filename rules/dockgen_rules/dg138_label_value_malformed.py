"""DG138: a label value does not have the type the configured schema gives it."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._labels import OPTION, all_labels, label_schema, valid_value

if TYPE_CHECKING:
    from typing import Any, ClassVar

_DESCRIPTIONS = {
    "semver": "a semantic version (1.2.3)",
    "url": "a URL with a scheme and host",
    "email": "an e-mail address",
    "rfc3339": "an RFC 3339 timestamp (2024-05-01T12:00:00Z)",
    "hash": "a git commit hash",
    "spdx": "an SPDX license expression (Apache-2.0, MIT OR GPL-2.0-only)",
}


class LabelValueMalformed(Rule):
    """
    ## What it does
    With a label schema configured (`required-labels`), flags a `LABEL` whose value is not of the schema's
    type: `semver`, `url`, `email`, `rfc3339` (timestamp), `hash` (git commit) or `spdx` (license
    expression; syntax only). Values built from variables are checked at build time, not here.

    ## Why is this bad?
    Labels are read by tools: a version that is not semver, a source that is not a URL or a creation date in
    another format break the automation that consumes them.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.version=v1.2
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.version=1.2.0
    ```

    ## Options
    - `required-labels` (table): label -> `{ type, required }` (see DG136). The documentation examples use
      `{ "org.opencontainers.image.version" = { type = "semver" } }`.

    ## References
    - hadolint DL3052 (url), DL3053 (rfc3339), DL3054 (spdx), DL3055 (hash), DL3056 (semver), DL3058 (email)
    """

    code = "DG138"
    name = "label-value-malformed"
    triggers = frozenset({"LABEL"})
    severity = Severity.WARNING
    message = "label value does not match its schema type"
    equivalents = ("DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058")
    options_used = (OPTION,)
    #: Options used when the documentation examples are run as tests.
    example_options: ClassVar[dict[str, Any]] = {
        OPTION: {"org.opencontainers.image.version": {"type": "semver"}}
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        schema = label_schema(ctx)
        if not schema:
            return
        for ins, kv in all_labels(ctx.dockerfile):
            spec = schema.get(kv.key)
            value = (kv.unquoted or "").strip()
            if spec is None or not value or "$" in (kv.value or ""):
                continue
            if not valid_value(spec.type, value):
                what = _DESCRIPTIONS.get(spec.type, spec.type)
                yield self.finding(ins, f"label '{kv.key}' = '{value}' is not {what}")
