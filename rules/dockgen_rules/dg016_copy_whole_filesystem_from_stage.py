"""DG016: COPY --from=<stage> / ... copies a whole filesystem."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity

_ROOTS = frozenset({"/", "/.", "/*", "."})


class CopyWholeFilesystemFromStage(Rule):
    """
    ## What it does
    Flags `COPY --from=<stage or image> / <dest>`: copying the root of another filesystem.

    ## Why is this bad?
    It drags the other stage's whole operating system, caches and build tools into this image, which defeats
    the point of a multi-stage build and can overwrite this stage's system files. Copy the directories you
    need.

    ## Example
    ```dockerfile
    FROM python:3.12 AS build
    RUN pip install --prefix=/install flask
    FROM python:3.12-slim
    COPY --from=build / /
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12 AS build
    RUN pip install --prefix=/install flask
    FROM python:3.12-slim
    COPY --from=build /install /usr/local
    ```

    ## References
    - hadolint DL3067
    """

    code = "DG016"
    name = "copy-whole-filesystem-from-stage"
    triggers = frozenset({"COPY"})
    severity = Severity.WARNING
    message = "COPY --from copies the whole filesystem of another stage"
    equivalents = ("DL3067",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            if ins.keyword != "COPY" or not ins.flag("from") or len(ins.args) < 2:
                continue
            sources = ins.args[:-1]
            if any(s in _ROOTS for s in sources):
                ref = ins.flag("from")
                yield self.finding(
                    ins, f"COPY --from={ref} / copies the whole filesystem: copy only what you need"
                )
