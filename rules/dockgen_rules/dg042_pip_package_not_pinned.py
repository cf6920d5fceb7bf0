"""DG042: pip install of packages without a version."""

from __future__ import annotations

import re
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

_SPEC = lazy_compile(r"(?:==|===|~=|>=|<=|!=|<|>| @ |@)")
_ARCHIVE = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz")


_VCS = lazy_compile(r"^(?:[\w.-]+\s*@\s*)?(?:git|hg|svn|bzr)\+[a-z]+://", re.I)
_PINNED_REF = lazy_compile(r"^(?:[0-9a-f]{40}|v?\d+(?:\.\d+)+[\w.+-]*)$")


def _unpinned_vcs(spec: str) -> bool:
    """A VCS requirement (``git+https://host/repo[@ref]``) not pinned to a commit id or a version tag."""
    if not _VCS.match(spec):
        return False
    path = spec.split("://", 1)[1].split("#", 1)[0]
    ref = path.rsplit("@", 1)[1] if "@" in path.split("/", 1)[-1] else ""
    return not _PINNED_REF.match(ref)


def unpinned(cmd: Command, idx: int, manager: str) -> list[str]:
    args = [w.text for w in cmd.words[idx + 1 :]]
    if any(a in ("-c", "--constraint") or a.startswith("--constraint=") for a in args):
        return []
    out: list[str] = []
    for w in operands(cmd, idx + 1, VALUE_OPTIONS["pip"]):
        t = w.text
        if _unpinned_vcs(t):
            out.append(t)
            continue
        if _SPEC.search(t) or _LOCAL.search(t) or t.endswith(_ARCHIVE) or "/" in t:
            continue
        out.append(t)
    return out


class PipPackageNotPinned(InstructionRule):
    """
    ## What it does
    Flags `pip install` (also `pip3`, `python -m pip`) operands without a version specifier (`flask` instead of
    `flask==3.0.3`), and VCS installs (`git+https://host/org/repo`, also `name @ git+...`) that name no commit
    id or version tag (`@main` or no `@` at all: whatever the branch holds at build time). Requirement files
    (`-r`), editable installs, local paths and archives, other URLs and variables are not flagged, and neither
    is anything when a constraints file (`-c`) is given. hadolint's DL3013 does not look at VCS installs.

    ## Why is this bad?
    Without versions, each build installs whatever is newest that day: rebuilding an old commit gives a
    different image, and an upstream release can break the build or the application without a change on your
    side.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask==3.0.3
    ```

    ## References
    - hadolint DL3013
    - https://pip.pypa.io/en/stable/topics/repeatable-installs/
    """

    code = "DG042"
    name = "pip-package-not-pinned"
    severity = Severity.WARNING
    message = "pip install of packages without a version"
    equivalents = ("DL3013",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for manager in ("pip",):
            for cmd, idx in find_install(cmds, manager):
                loose = unpinned(cmd, idx, manager)
                if loose:
                    shown = ", ".join(loose[:5]) + (", ..." if len(loose) > 5 else "")
                    yield self.finding(
                        ins,
                        f"{manager} install of unpinned {shown}: pin with == or install from a requirements/constraints file",
                    )
                    return
