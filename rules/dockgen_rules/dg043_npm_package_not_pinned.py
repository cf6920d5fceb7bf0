"""DG043: npm install of named packages without a version."""

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

_MOVING = frozenset({"latest", "next", "*", ""})
_ARCHIVE = (".tgz", ".tar.gz")


def _version(spec: str) -> str | None:
    body = spec[1:] if spec.startswith("@") else spec
    if "@" not in body:
        return None
    return body.rsplit("@", 1)[1]


def unpinned(cmd: Command, idx: int, manager: str) -> list[str]:
    out: list[str] = []
    for w in operands(cmd, idx + 1, VALUE_OPTIONS["npm"]):
        t = w.text
        if (
            _LOCAL.search(t)
            or t.endswith(_ARCHIVE)
            or t.startswith(("github:", "npm:"))
            or ("/" in t and not t.startswith("@"))
        ):
            continue
        version = _version(t)
        if version is None or version in _MOVING:
            out.append(t)
    return out


class NpmPackageNotPinned(InstructionRule):
    """
    ## What it does
    Flags `npm install <name>` (also `npm i`, `npm add`, global `-g` installs) whose packages have no version or
    a moving tag (`typescript`, `typescript@latest`). `npm install` without package names (it installs from
    `package.json`), local paths, tarballs, git and URL specs and variables are not flagged.

    ## Why is this bad?
    Without versions, each build installs whatever is newest that day: rebuilding an old commit gives a
    different image, and an upstream release can break the build or the application without a change on your
    side.

    ## Example
    ```dockerfile
    FROM node:20-slim
    RUN npm install -g typescript
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    RUN npm install -g typescript@5.5.4
    ```

    ## References
    - hadolint DL3016
    """

    code = "DG043"
    name = "npm-package-not-pinned"
    severity = Severity.WARNING
    message = "npm install of packages without a version"
    equivalents = ("DL3016",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for manager in ("npm",):
            for cmd, idx in find_install(cmds, manager):
                loose = unpinned(cmd, idx, manager)
                if loose:
                    shown = ", ".join(loose[:5]) + (", ..." if len(loose) > 5 else "")
                    yield self.finding(ins, f"{manager} install of unpinned {shown}: write name@version")
                    return
