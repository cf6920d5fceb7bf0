"""DG100: ADD used where COPY does the same."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity
from dockgen_rules._casing import recased
from dockgen_rules._copy import is_remote, sources

#: Archive suffixes ADD unpacks (lower-case).
ARCHIVE_SUFFIXES: tuple[str, ...] = (
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
    ".tlz",
    ".tar.z",
    ".tz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
)
#: Flags only ADD understands: an ADD carrying one of them stays ADD.
ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})


def is_archive(source: str) -> bool:
    return source.lower().endswith(ARCHIVE_SUFFIXES)


class AddInsteadOfCopy(InstructionRule):
    """
    ## What it does
    Flags `ADD` of local files or directories, where `COPY` does exactly the same.

    ## Why is this bad?
    `ADD` also downloads URLs and unpacks local archives, so a reader has to check the sources to know what it
    does. `COPY` says "copy these files" and nothing else. Keep `ADD` for what only it can do: remote sources,
    git repositories and local archives to unpack (dockgen leaves those alone).

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ADD requirements.txt /app/
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY requirements.txt /app/
    ```

    ## References
    - hadolint DL3020, Trivy DS-0005, Checkov CKV_DOCKER_4
    - https://docs.docker.com/build/building/best-practices/#add-or-copy
    """

    code = "DG100"
    name = "add-instead-of-copy"
    severity = Severity.WARNING
    message = "ADD of local files: use COPY"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL3020", "DS-0005", "CKV_DOCKER_4")
    keywords = frozenset({"ADD"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if any(f.name in ADD_ONLY_FLAGS for f in ins.flags):
            return
        srcs = sources(ins)
        if not srcs and not ins.heredocs:
            return
        for src in srcs:
            # a variable could expand to a URL or an archive: leave it to the author
            if is_remote(src) or is_archive(src) or "$" in src:
                return
        new = _record.replace(ins, keyword="COPY", original=recased(ins.original, "COPY"))
        fix = Fix("replace ADD with COPY", (Replace(targets=(ins,), replacement=(new,)),), safe=True)
        names = ", ".join(srcs) if srcs else "a here-document"
        yield self.finding(ins, f"ADD of local {names}: use COPY (ADD is for URLs and archives)", fix=fix)
