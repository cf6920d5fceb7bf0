"""DG111: WORKDIR in a system directory."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity

#: Directories that must never be a working directory, nor anything below them.
_VIRTUAL = ("/proc", "/sys", "/dev", "/boot")
#: Directories whose content belongs to the OS (they and everything below).
_SYSTEM = (
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/lib64",
)
#: Directories flagged only when they are the working directory itself.
_EXACT = frozenset({"/etc", "/usr", "/var", "/run"})


def system_directory(path: str) -> str | None:
    """The system directory ``path`` is in (or is), else None."""
    if not path.startswith("/") or "$" in path:
        return None
    clean = posixpath.normpath(path)
    if clean.startswith("//"):
        clean = "/" + clean.lstrip("/")
    if clean in _EXACT:
        return clean
    for top in _VIRTUAL + _SYSTEM:
        if clean == top or clean.startswith(top + "/"):
            return top
    return None


class WorkdirSystemDirectory(InstructionRule):
    """
    ## What it does
    Flags `WORKDIR` set to a system directory: anything below `/proc`, `/sys`, `/dev`, `/boot`, the binary and
    library directories (`/bin`, `/sbin`, `/lib*`, `/usr/bin`, `/usr/sbin`, `/usr/lib*`), or exactly `/etc`,
    `/usr`, `/var` or `/run`.

    ## Why is this bad?
    The working directory is where `COPY . .` and relative paths write. Virtual filesystems are replaced by
    the runtime, and writing the application into the OS directories mixes it with files the package manager
    owns. Give the application its own directory.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    WORKDIR /usr/bin
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    WORKDIR /opt/app
    ```

    ## References
    - Trivy DS-0030
    """

    code = "DG111"
    name = "workdir-system-directory"
    severity = Severity.WARNING
    message = "WORKDIR in a system directory"
    equivalents = ("DS-0030",)
    keywords = frozenset({"WORKDIR"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if not ins.args:
            return
        top = system_directory(ins.args[0])
        if top is not None:
            yield self.finding(
                ins, f"WORKDIR '{ins.args[0]}' is in the system directory {top}: use e.g. /opt/app"
            )
