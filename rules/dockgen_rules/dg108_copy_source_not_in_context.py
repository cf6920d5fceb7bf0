"""DG108: a COPY/ADD source that the build context does not have."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._copy import context_copies, has_glob
from dockgen_rules._dockerignore import ignore_file, read_matcher

if TYPE_CHECKING:
    from typing import ClassVar


def _candidates(context: Path, parent: str) -> list[str]:
    """Context-relative paths of the entries of directory ``parent`` of the context (empty when missing)."""
    directory = context / parent if parent else context
    try:
        return sorted(posixpath.join(parent, p.name) if parent else p.name for p in directory.iterdir())
    except OSError:
        return []


class CopySourceNotInContext(Rule):
    """
    ## What it does
    When dockgen lints a Dockerfile together with its build context (given with `--context` or the
    `context` setting; the Dockerfile's own directory is not assumed), or a declared image (its `context`),
    flags `COPY` and
    `ADD` sources that are not in the context, and suggests the closest name that is (`did you mean
    worker.py?`). Sources with wildcards are flagged when they match nothing. A source the context has but
    the `.dockerignore` excludes is DG104's finding. `COPY --from`, URLs and sources with variables are not
    checked.

    BuildKit reports the same mistake only when the build reaches the step ("failed to compute cache key:
    ... not found"); hadolint does not look at the context.

    ## Why is this bad?
    The build fails at that step, after every earlier step has run, with a message that names neither the
    file you meant nor where it is declared.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY wokrer.py /app/
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY worker.py /app/
    ```

    ## References
    - https://docs.docker.com/build/concepts/context/
    """

    code = "DG108"
    name = "copy-source-not-in-context"
    severity = Severity.ERROR
    message = "COPY/ADD source not found in the build context"
    #: Files of the build context used when the documentation examples are run as tests.
    example_context: ClassVar[dict[str, str]] = {"worker.py": "", "requirements.txt": ""}

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        context = ctx.context_dir
        if context is None or not ctx.context_given or not context.is_dir():
            return
        ignore = ignore_file(ctx)
        matcher = read_matcher(ignore) if ignore is not None else None
        for ins, srcs in context_copies(ctx.dockerfile):
            for src in srcs:
                if not src or "$" in src:
                    continue
                if has_glob(src):
                    if not any(True for _ in context.glob(src)):
                        yield self.finding(
                            ins, f"{ins.keyword} source '{src}' matches nothing in the build context"
                        )
                    continue
                if (context / src).exists():
                    continue
                parent = posixpath.dirname(src)
                names = [
                    c for c in _candidates(context, parent) if matcher is None or not matcher.excluded(c)
                ]
                from difflib import get_close_matches  # only when there is something to suggest

                close = get_close_matches(src, names, n=1, cutoff=0.6)
                hint = f": did you mean {close[0]}?" if close else ""
                yield self.finding(
                    ins,
                    f"{ins.keyword} source '{src}' is not in the build context {context.resolve().name}/{hint}",
                )
