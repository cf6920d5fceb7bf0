"""DG131: ``ENV key value`` / ``LABEL key value`` legacy form."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import IRInstruction, KeyValue
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity

_BLANKS = frozenset(" \t")


def modern_value(value: str) -> str | None:
    """The ``key=value`` spelling of a legacy value with the same meaning, or None when unsure."""
    if not any(c in _BLANKS for c in value):
        return value
    if '"' not in value and "'" not in value and "\\" not in value:
        return f'"{value}"'
    for q in ('"', "'"):
        if (
            len(value) >= 2
            and value[0] == q
            and value[-1] == q
            and q not in value[1:-1]
            and "\\" not in value
        ):
            return value
    return None


class LegacyKeyValueFormat(InstructionRule):
    """
    ## What it does
    Flags `ENV` and `LABEL` written in the legacy whitespace form (`ENV key value`).

    ## Why is this bad?
    In the legacy form the value is the whole rest of the line, so `ENV A 1 B 2` sets `A` to `1 B 2` — rarely
    what was meant — and one instruction can set only one variable. The `key=value` form is unambiguous. The
    fix rewrites the instruction with the same value, quoting it when it holds spaces (values mixing quotes,
    escapes and spaces are reported without a fix).

    The rule is `style`: both forms build the same image. BuildKit's `LegacyKeyValueFormat` check reports
    it as a warning; hadolint has no equivalent.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONUNBUFFERED 1
    LABEL description A small web service
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONUNBUFFERED=1
    LABEL description="A small web service"
    ```

    ## References
    - BuildKit LegacyKeyValueFormat
    - https://docs.docker.com/reference/build-checks/legacy-key-value-format/
    """

    code = "DG131"
    name = "legacy-key-value-format"
    severity = Severity.STYLE
    message = "legacy 'key value' form: use key=value"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("LegacyKeyValueFormat",)
    keywords = frozenset({"ENV", "LABEL"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if not ins.legacy or not ins.pairs:
            return
        kv = ins.pairs[0]
        value = modern_value(kv.value or "")
        fix = None
        if value is not None and len(ins.pairs) == 1:
            new = _record.replace(ins, legacy=False, pairs=(KeyValue(kv.key, value),))
            fix = Fix(f"write {ins.keyword} {kv.key}=...", (Replace(targets=(ins,), replacement=(new,)),))
        yield self.finding(
            ins, f"'{ins.keyword} {kv.key} ...' is the legacy form: write {kv.key}=...", fix=fix
        )
