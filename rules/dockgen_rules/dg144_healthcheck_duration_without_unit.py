"""DG144: a HEALTHCHECK duration option that is not a valid duration."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity

_DURATION_FLAGS = ("interval", "timeout", "start-period", "start-interval")
_DURATION = lazy_compile(r"^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$")


def valid_duration(value: str) -> bool:
    """A Go duration as the builder parses it (``30s``, ``1m30s``, ``500ms``; a bare ``0`` is allowed)."""
    return value == "0" or bool(_DURATION.match(value))


class HealthcheckDurationWithoutUnit(InstructionRule):
    """
    ## What it does
    Flags `HEALTHCHECK` `--interval`, `--timeout`, `--start-period` and `--start-interval` values that are not
    durations with a unit (`--interval=30` instead of `--interval=30s`).

    ## Why is this bad?
    The builder parses these as Go durations: a bare number has no unit and the build fails with
    "missing unit in duration".

    ## Example
    ```dockerfile
    FROM nginx:1.27
    HEALTHCHECK --interval=30 --timeout=5 CMD curl -f http://localhost/ || exit 1
    ```

    ## Use instead
    ```dockerfile
    FROM nginx:1.27
    HEALTHCHECK --interval=30s --timeout=5s CMD curl -f http://localhost/ || exit 1
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#healthcheck
    """

    code = "DG144"
    name = "healthcheck-duration-without-unit"
    severity = Severity.ERROR
    message = "HEALTHCHECK duration is not valid"
    keywords = frozenset({"HEALTHCHECK"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        bad = [
            f"--{name}={value}"
            for name in _DURATION_FLAGS
            if (value := ins.flag(name)) is not None and "$" not in value and not valid_duration(value)
        ]
        if bad:
            yield self.finding(ins, f"{', '.join(bad)}: durations need a unit (s, m, h, ms), e.g. 30s")
