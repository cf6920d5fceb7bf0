"""DG133: ENV referring to a variable set by the same ENV statement."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import IRInstruction, variable_references
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity


class EnvSelfReference(InstructionRule):
    """
    ## What it does
    Flags an `ENV` that sets several variables where one value refers to a variable set earlier in the same
    instruction (`ENV A=/opt B=$A/bin`).

    Every form of reference counts, `${A:-default}` and `${A:+alt}` included (hadolint's DL3044 does not
    flag those).

    ## Why is this bad?
    All values of one `ENV` are expanded before any of them is set, so `$A` is the value from *before* the
    instruction (usually empty), not the one next to it. The fix (unsafe: the resulting value changes, to
    what was most likely meant) splits the instruction before the referring variable.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENV APP_HOME=/srv/app
    ENV APP_BIN=$APP_HOME/bin
    ```

    ## References
    - hadolint DL3044
    - https://docs.docker.com/reference/dockerfile/#env
    """

    code = "DG133"
    name = "env-self-reference"
    severity = Severity.ERROR
    message = "ENV refers to a variable set in the same statement"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL3044",)
    keywords = frozenset({"ENV"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if ins.legacy or len(ins.pairs) < 2:
            return
        seen: set[str] = set()
        for i, kv in enumerate(ins.pairs):
            refs = set(variable_references(kv.value)) if kv.value and "$" in kv.value else set()
            hit = sorted((refs & seen) - {kv.key})
            if hit:
                first = _record.replace(ins, pairs=ins.pairs[:i])
                rest = _record.replace(ins, pairs=ins.pairs[i:], comments=(), span=None)
                fix = Fix(
                    f"split the ENV before {kv.key}",
                    (Replace(targets=(ins,), replacement=(first, rest)),),
                    safe=False,
                )
                yield self.finding(
                    ins,
                    f"{kv.key} refers to ${hit[0]}, set in the same ENV: it sees the previous value; "
                    "split the instruction",
                    fix=fix,
                )
                return
            seen.add(kv.key)
