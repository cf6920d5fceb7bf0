"""DG104: COPY/ADD of a path that the ``.dockerignore`` excludes from the build context."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from dockgen.builders.dockerignore import could_include_below
from dockgen.dockerignore import Matcher
from dockgen.errors import DockgenError
from dockgen.ir import Dockerfile, Instruction
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules.dg100_add_instead_of_copy import is_remote, sources

_GLOB_CHARS = frozenset("*?[\\$")


def ignore_file(ctx: LintContext) -> Path | None:
    """The ignore file BuildKit would use: ``<Dockerfile>.dockerignore`` next to the Dockerfile, else
    ``<context>/.dockerignore``. None when there is no context directory or no ignore file."""
    if ctx.context_dir is None:
        return None
    path = ctx.dockerfile.path
    if path and "#" not in path:
        own = Path(path).with_name(Path(path).name + ".dockerignore")
        if not own.is_absolute():
            own = Path.cwd() / own
        if own.is_file():
            return own
    default = ctx.context_dir / ".dockerignore"
    return default if default.is_file() else None


def read_matcher(path: Path) -> Matcher | None:
    """The matcher of an ignore file, or None when it cannot be read or has an invalid pattern."""
    try:
        return Matcher.from_text(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, DockgenError):
        return None


def context_sources(ins: Instruction) -> list[str]:
    """Context-relative, cleaned sources of a COPY/ADD that reads the build context ('' is the root).

    Empty for ``COPY --from``, URLs and heredocs. Sources with wildcards or variables are kept as written.
    """
    if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
        return []
    out: list[str] = []
    for src in sources(ins):
        if is_remote(src):
            continue
        cleaned = posixpath.normpath("/" + src.replace("\\", "/")).lstrip("/")
        out.append("" if cleaned in (".", "") else cleaned)
    return out


def has_glob(path: str) -> bool:
    return any(c in _GLOB_CHARS for c in path)


def context_copies(df: Dockerfile) -> Iterator[tuple[Instruction, list[str]]]:
    """Every COPY/ADD reading the build context (ONBUILD triggers excluded), with its sources."""
    for ins in df.instructions:
        srcs = context_sources(ins)
        if srcs:
            yield ins, srcs


class CopyOfIgnoredPath(Rule):
    """
    ## What it does
    When dockgen lints a Dockerfile together with its build context, flags `COPY`/`ADD` sources that the
    `.dockerignore` (or the per-Dockerfile `<Dockerfile>.dockerignore`) excludes.

    ## Why is this bad?
    Excluded paths are not sent to the builder, so the build fails with "not found" — or, for a directory
    with some content excluded, silently copies less than you think.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY .env /app/
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY app.py /app/
    ```

    ## References
    - BuildKit CopyIgnoredFile
    - https://docs.docker.com/build/concepts/context/#dockerignore-files
    """

    code = "DG104"
    name = "copy-of-ignored-path"
    severity = Severity.ERROR
    message = "COPY of a path excluded by .dockerignore"
    equivalents = ("CopyIgnoredFile",)
    #: Files of the build context used when the documentation examples are run as tests.
    example_context: ClassVar[dict[str, str]] = {".dockerignore": ".env\n", ".env": "X=1\n", "app.py": ""}

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        path = ignore_file(ctx)
        if path is None:
            return
        matcher = read_matcher(path)
        if matcher is None:
            return
        for ins, srcs in context_copies(ctx.dockerfile):
            for src in srcs:
                if not src or has_glob(src):
                    continue
                if matcher.excluded(src) and not could_include_below(matcher, src):
                    yield self.finding(
                        ins,
                        f"{ins.keyword} of '{src}', which {path.name} excludes from the build context",
                    )
