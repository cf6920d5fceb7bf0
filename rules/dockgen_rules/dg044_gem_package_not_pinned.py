"""DG044: gem install without a version."""

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
    args = [w.text for w in cmd.words[idx + 1 :]]
    if any(a in ("-v", "--version") or a.startswith("--version=") for a in args):
        return []
    out: list[str] = []
    for w in operands(cmd, idx + 1, VALUE_OPTIONS["gem"]):
        t = w.text
        if ":" in t or _LOCAL.search(t) or t.endswith(".gem"):
            continue
        out.append(t)
    return out


class GemPackageNotPinned(InstructionRule):
    """
    ## What it does
    Flags `gem install` of gems without `-v`/`--version` or a `name:version` operand. Local `.gem` files and
    variables are not flagged.

    ## Why is this bad?
    Without versions, each build installs whatever is newest that day: rebuilding an old commit gives a
    different image, and an upstream release can break the build or the application without a change on your
    side.

    ## Example
    ```dockerfile
    FROM ruby:3.3-slim
    RUN gem install bundler
    ```

    ## Use instead
    ```dockerfile
    FROM ruby:3.3-slim
    RUN gem install bundler -v 2.5.16
    ```

    ## References
    - hadolint DL3028
    """

    code = "DG044"
    name = "gem-package-not-pinned"
    severity = Severity.WARNING
    message = "gem install of gems without a version"
    equivalents = ("DL3028",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for manager in ("gem",):
            for cmd, idx in find_install(cmds, manager):
                loose = unpinned(cmd, idx, manager)
                if loose:
                    shown = ", ".join(loose[:5]) + (", ..." if len(loose) > 5 else "")
                    yield self.finding(
                        ins, f"{manager} install of unpinned {shown}: use -v VERSION or name:version"
                    )
                    return
