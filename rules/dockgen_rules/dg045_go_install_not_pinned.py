"""DG045: go install of a module without a version."""

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
    for w in operands(cmd, idx + 1, VALUE_OPTIONS["go"]):
        t = w.text
        if _LOCAL.search(t) or t.startswith(".") or "/" not in t or "=" in t:
            continue
        version = t.rsplit("@", 1)[1] if "@" in t else None
        if version is None or version in ("latest", "master", "main", "upgrade", "patch"):
            out.append(t)
    return out


class GoInstallNotPinned(InstructionRule):
    """
    ## What it does
    Flags `go install` and `go get` of remote packages without `@version`, or with a moving one (`@latest`,
    `@master`, `@main`). Local packages (`./...`, `.`) and variables are not flagged.

    ## Why is this bad?
    Without versions, each build installs whatever is newest that day: rebuilding an old commit gives a
    different image, and an upstream release can break the build or the application without a change on your
    side.

    ## Example
    ```dockerfile
    FROM golang:1.22
    RUN go install golang.org/x/tools/gopls@latest
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22
    RUN go install golang.org/x/tools/gopls@v0.16.1
    ```

    ## References
    - hadolint DL3062
    """

    code = "DG045"
    name = "go-install-not-pinned"
    severity = Severity.WARNING
    message = "go install of a module without a pinned version"
    equivalents = ("DL3062",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for manager in ("go",):
            for cmd, idx in find_install(cmds, manager):
                loose = unpinned(cmd, idx, manager)
                if loose:
                    shown = ", ".join(loose[:5]) + (", ..." if len(loose) > 5 else "")
                    yield self.finding(
                        ins, f"{manager} install of unpinned {shown}: write module/path@vX.Y.Z"
                    )
                    return
