"""DG130: the deprecated MAINTAINER instruction."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction, KeyValue
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity
from dockgen_rules._casing import recased


def double_quoted(value: str) -> str:
    """``value`` as a double-quoted Dockerfile word that expands to exactly ``value``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


class MaintainerInstruction(InstructionRule):
    """
    ## What it does
    Flags `MAINTAINER`, deprecated since Docker 1.13.

    ## Why is this bad?
    `MAINTAINER` writes the legacy `Author` field that few tools read. Labels are the supported way to record
    who maintains an image (`maintainer`, or `org.opencontainers.image.authors`). The fix writes a
    `maintainer` label; it is unsafe because the image's `Author` field is no longer set.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    MAINTAINER Jane Doe <jane@example.com>
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    LABEL maintainer="Jane Doe <jane@example.com>"
    ```

    ## References
    - hadolint DL4000, BuildKit MaintainerDeprecated, Trivy DS-0022, Checkov CKV_DOCKER_6
    - https://docs.docker.com/reference/build-checks/maintainer-deprecated/
    """

    code = "DG130"
    name = "maintainer-instruction"
    severity = Severity.WARNING
    message = "MAINTAINER is deprecated: use a label"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL4000", "MaintainerDeprecated", "DS-0022", "CKV_DOCKER_6")
    keywords = frozenset({"MAINTAINER"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        value = " ".join(ins.args).strip()
        new = IRInstruction(
            keyword="LABEL",
            original=recased(ins.original, "LABEL"),
            pairs=(KeyValue("maintainer", double_quoted(value)),),
            comments=ins.comments,
            span=ins.span,
        )
        fix = Fix(
            "replace MAINTAINER with a maintainer label",
            (Replace(targets=(ins,), replacement=(new,)),),
            safe=False,
        )
        yield self.finding(ins, "MAINTAINER is deprecated: use LABEL maintainer=... instead", fix=fix)
