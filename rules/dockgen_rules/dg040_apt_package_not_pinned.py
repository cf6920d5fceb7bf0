"""DG040: apt-get install of packages without a version."""

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


def unpinned(cmd: Command, idx: int, manager: str) -> list[str]:
    out: list[str] = []
    for w in operands(cmd, idx + 1, VALUE_OPTIONS["apt-get"]):
        t = w.text
        if "=" in t or _LOCAL.search(t) or t.endswith(".deb") or "/" in t:
            continue
        out.append(t)
    return out


class AptPackageNotPinned(InstructionRule):
    """
    ## What it does
    Flags `apt-get install` (and `apt install`) operands without a version (`curl` instead of
    `curl=7.88.1-10+deb12u5`). Local `.deb` files, release selections (`curl/bookworm-backports`) and variables
    are not flagged.

    Many teams leave version pinning of system packages to the base image tag and disable this rule; it is on by
    default for parity with hadolint.

    ## Why is this bad?
    Without versions, each build installs whatever is newest that day: rebuilding an old commit gives a
    different image, and an upstream release can break the build or the application without a change on your
    side.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
    ```

    ## References
    - hadolint DL3008
    - https://docs.docker.com/build/building/best-practices/#apt-get
    """

    code = "DG040"
    name = "apt-package-not-pinned"
    severity = Severity.WARNING
    message = "apt-get install of packages without a version"
    equivalents = ("DL3008",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for manager in ("apt-get", "apt"):
            for cmd, idx in find_install(cmds, manager):
                loose = unpinned(cmd, idx, manager)
                if loose:
                    shown = ", ".join(loose[:5]) + (", ..." if len(loose) > 5 else "")
                    yield self.finding(ins, f"{manager} install of unpinned {shown}: write name=version")
                    return
