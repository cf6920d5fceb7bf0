"""DG046: yum/dnf/microdnf/zypper install of packages without a version."""

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

_VERSIONED = lazy_compile(r"-[0-9]")
_ZYPPER = lazy_compile(r"[=<>]")


def unpinned(cmd: Command, idx: int, manager: str) -> list[str]:
    out: list[str] = []
    for w in operands(cmd, idx + 1, VALUE_OPTIONS.get(manager, ())):
        t = w.text
        if _LOCAL.search(t) or t.endswith(".rpm") or t.startswith("@") or "/" in t or "(" in t:
            continue
        if (_ZYPPER if manager == "zypper" else _VERSIONED).search(t) or (manager != "zypper" and "=" in t):
            continue
        out.append(t)
    return out


class RpmPackageNotPinned(InstructionRule):
    """
    ## What it does
    Flags `yum`, `dnf`, `microdnf` and `zypper` installs of packages without a version (`httpd` instead of
    `httpd-2.4.57` for yum/dnf, `httpd=2.4.57` for zypper). Groups (`@core`), local `.rpm` files, file provides
    (`/usr/bin/x`), capabilities and variables are not flagged.

    Many teams leave version pinning of system packages to the base image tag and disable this rule; it is on by
    default for parity with hadolint.

    ## Why is this bad?
    Without versions, each build installs whatever is newest that day: rebuilding an old commit gives a
    different image, and an upstream release can break the build or the application without a change on your
    side.

    ## Example
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install -y httpd && dnf clean all
    ```

    ## Use instead
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install -y httpd-2.4.57 && dnf clean all
    ```

    ## References
    - hadolint DL3033 (yum), DL3041 (dnf), DL3037 (zypper)
    """

    code = "DG046"
    name = "rpm-package-not-pinned"
    severity = Severity.WARNING
    message = "package install without a version"
    equivalents = ("DL3033", "DL3041", "DL3037")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for manager in ("yum", "dnf", "microdnf", "zypper"):
            for cmd, idx in find_install(cmds, manager):
                loose = unpinned(cmd, idx, manager)
                if loose:
                    shown = ", ".join(loose[:5]) + (", ..." if len(loose) > 5 else "")
                    yield self.finding(
                        ins, f"{manager} install of unpinned {shown}: pin name-version (zypper: name=version)"
                    )
                    return
