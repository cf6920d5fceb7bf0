"""DG007: FROM uses a variable that no global ARG declares."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import variable_references
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import PLATFORM_ARGS, global_arg_defaults


class FromUndefinedArg(Rule):
    """
    ## What it does
    Flags a `FROM` line (image or `--platform`) that references a variable no `ARG` before the first `FROM`
    declares. The automatic platform arguments (`BUILDPLATFORM`, `TARGETARCH`, ...) are always defined.

    ## Why is this bad?
    Only global `ARG`s (declared before the first `FROM`) are visible in `FROM`. An `ARG` declared inside a
    stage, an `ENV`, or a typo expands to an empty string, so the build fails or pulls a different image.

    ## Example
    ```dockerfile
    ARG PYTHON_VERSION=3.12
    FROM python:${PYTHON_VERION}-slim
    ```

    ## Use instead
    ```dockerfile
    ARG PYTHON_VERSION=3.12
    FROM python:${PYTHON_VERSION}-slim
    ```

    ## References
    - BuildKit UndefinedArgInFrom
    - https://docs.docker.com/reference/build-checks/undefined-arg-in-from/
    """

    code = "DG007"
    name = "from-undefined-arg"
    severity = Severity.WARNING
    message = "FROM uses an undeclared build argument"
    equivalents = ("UndefinedArgInFrom",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        declared = set(global_arg_defaults(ctx.dockerfile)) | set(PLATFORM_ARGS)
        for stage in ctx.stages:
            ins = stage.from_
            texts = [stage.base, *(f.value or "" for f in ins.flags)]
            for name in dict.fromkeys(n for t in texts for n in variable_references(t)):
                if name in declared:
                    continue
                from difflib import get_close_matches  # only when there is something to suggest

                close = get_close_matches(name, sorted(declared), n=1)
                hint = (
                    f" (did you mean {close[0]}?)"
                    if close
                    else " (declare it with ARG before the first FROM)"
                )
                yield self.finding(ins, f"FROM uses ${name}, which no global ARG declares{hint}")
