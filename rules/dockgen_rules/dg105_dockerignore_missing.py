"""DG105: no ``.dockerignore`` while a directory of the build context is copied."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._copy import context_copies, has_glob
from dockgen_rules._dockerignore import ignore_file

if TYPE_CHECKING:
    from typing import ClassVar


class DockerignoreMissing(Rule):
    """
    ## What it does
    When dockgen lints a Dockerfile together with its build context, flags the first `COPY`/`ADD` of a
    directory (or of the whole context) when there is neither a `.dockerignore` in the context nor a
    `<Dockerfile>.dockerignore` next to the Dockerfile.

    ## Why is this bad?
    Without an ignore file, `COPY . .` puts everything into the image: `.git`, virtual environments,
    `node_modules`, caches, local `.env` files with credentials. Images get bigger, every edit anywhere busts
    the layer cache, and secrets leak.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY src/app.py .
    ```

    ## References
    - https://docs.docker.com/build/concepts/context/#dockerignore-files
    """

    code = "DG105"
    name = "dockerignore-missing"
    reads_context = True
    triggers = frozenset({"COPY", "ADD"})
    severity = Severity.WARNING
    message = "the build context has no .dockerignore"
    #: Files of the build context used when the documentation examples are run as tests.
    example_context: ClassVar[dict[str, str]] = {"src/app.py": "print('hi')\n"}

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.context_dir is None or ignore_file(ctx) is not None:
            return
        for ins, srcs in context_copies(ctx.dockerfile):
            for src in srcs:
                if has_glob(src):
                    continue
                if src == "" or (ctx.context_dir / src).is_dir():
                    what = "the whole build context" if src == "" else f"the directory '{src}'"
                    yield self.finding(
                        ins,
                        f"{ins.keyword} of {what} with no .dockerignore: add one that excludes .git, caches, "
                        "virtual environments and .env files",
                    )
                    return
