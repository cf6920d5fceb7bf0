"""DG041: apk add of packages without a version."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.argv import operands
from dockgen.shell.packages import VALUE_OPTIONS, find_install
from dockgen.shell.run import run_commands
from dockgen.shell.syntax import Command

#: Operands that are local files, URLs or variables (never "unpinned").
_LOCAL = lazy_compile(r"^(?:\.{1,2}(?:/|$)|/|~|[A-Za-z][A-Za-z0-9+.-]*://|file:|git\+|git@)|\$")

_CONSTRAINT = lazy_compile(r"[=<>~]")


def unpinned(cmd: Command, idx: int, manager: str) -> list[str]:
    out: list[str] = []
    for w in operands(cmd, idx + 1, VALUE_OPTIONS["apk"]):
        t = w.text
        if _CONSTRAINT.search(t) or _LOCAL.search(t) or t.endswith(".apk") or t.startswith("."):
            continue
        out.append(t)
    return out


class ApkPackageNotPinned(InstructionRule):
    """
    ## What it does
    Flags `apk add` operands without a version constraint (`curl` instead of `curl=8.9.1-r0` or `curl~8.9`).
    Virtual package names (`--virtual .build-deps`), local `.apk` files and variables are not flagged.

    Many teams leave version pinning of system packages to the base image tag and disable this rule; it is on by
    default for parity with hadolint.

    ## Why is this bad?
    Without versions, each build installs whatever is newest that day: rebuilding an old commit gives a
    different image, and an upstream release can break the build or the application without a change on your
    side.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl=8.9.1-r0
    ```

    ## References
    - hadolint DL3018
    """

    code = "DG041"
    name = "apk-package-not-pinned"
    severity = Severity.WARNING
    message = "apk add of packages without a version"
    equivalents = ("DL3018",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for manager in ("apk",):
            for cmd, idx in find_install(cmds, manager):
                loose = unpinned(cmd, idx, manager)
                if loose:
                    shown = ", ".join(loose[:5]) + (", ..." if len(loose) > 5 else "")
                    yield self.finding(
                        ins, f"{manager} install of unpinned {shown}: write name=version (or name~minor)"
                    )
                    return
