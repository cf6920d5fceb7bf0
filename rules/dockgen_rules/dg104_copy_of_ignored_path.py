"""DG104: COPY/ADD of a path that the ``.dockerignore`` excludes from the build context."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._copy import context_copies, has_glob
from dockgen_rules._dockerignore import ignore_file, read_matcher

if TYPE_CHECKING:
    from typing import ClassVar


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
    reads_context = True
    triggers = frozenset({"COPY", "ADD"})
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
        # imported here: the builders package is not needed to lint files that have no .dockerignore
        from dockgen.dockerignore import could_include_below

        for ins, srcs in context_copies(ctx.dockerfile):
            for src in srcs:
                if not src or has_glob(src):
                    continue
                if matcher.excluded(src) and not could_include_below(matcher, src):
                    yield self.finding(
                        ins,
                        f"{ins.keyword} of '{src}', which {path.name} excludes from the build context",
                    )
