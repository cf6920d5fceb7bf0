"""DG134: instruction keywords in mixed casing."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen import _record
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity


class InconsistentInstructionCasing(Rule):
    """
    ## What it does
    Flags instruction keywords whose casing differs from the file's majority: all upper case (`RUN`) or all
    lower case (`run`); a tie counts as upper case, and a keyword in mixed case (`Run`) is always flagged, as
    BuildKit does. The fix rewrites the keyword in the majority casing.

    ## Why is this bad?
    Keywords are case-insensitive, so mixing styles has no effect but makes the file harder to scan; upper
    case is the common convention because it sets keywords apart from their arguments.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    run pip install --no-cache-dir flask
    COPY app.py /app/
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask
    COPY app.py /app/
    ```

    ## References
    - BuildKit ConsistentInstructionCasing
    - https://docs.docker.com/reference/build-checks/consistent-instruction-casing/
    """

    code = "DG134"
    name = "inconsistent-instruction-casing"
    severity = Severity.STYLE
    message = "instruction casing differs from the rest of the file"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("ConsistentInstructionCasing",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        written = [(ins, ins.original or ins.keyword) for ins in ctx.dockerfile.instructions]
        lower = sum(1 for _, w in written if w == w.lower())
        upper = sum(1 for _, w in written if w == w.upper())
        majority_lower = lower > upper
        for ins, word in written:
            want = word.lower() if majority_lower else word.upper()
            if word == want:
                continue
            style = "lower case" if majority_lower else "upper case"
            new = _record.replace(ins, original=want)
            fix = Fix(f"write {want}", (Replace(targets=(ins,), replacement=(new,)),))
            yield self.finding(
                ins, f"'{word}' is not in {style} like the other instructions: write '{want}'", fix=fix
            )
