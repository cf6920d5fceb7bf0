"""DG106: the ``.dockerignore`` lets ``.git``, ``node_modules``, ``__pycache__`` or ``.env`` into a COPY."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._copy import context_copies
from dockgen_rules._dockerignore import ignore_file, read_matcher

if TYPE_CHECKING:
    from typing import ClassVar

    from dockgen.dockerignore import Matcher

#: Top-level entries that never belong in an image, and why.
TOP_LEVEL_JUNK: dict[str, str] = {
    ".git": "the repository history",
    "node_modules": "host-built dependencies",
    ".env": "local settings that often hold credentials",
}
_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", ".tox", ".nox"})
_MAX_DEPTH = 3


def _pycache_dirs(root: Path, matcher: Matcher) -> list[str]:
    """Context-relative ``__pycache__`` directories (up to a few levels deep) the matcher lets through."""
    found: list[str] = []
    for dirpath, dirnames, _ in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = "" if rel == "." else rel.replace(os.sep, "/")
        depth = 0 if not rel else rel.count("/") + 1
        keep: list[str] = []
        for d in sorted(dirnames):
            path = f"{rel}/{d}" if rel else d
            if d == "__pycache__":
                if not matcher.excluded(path):
                    found.append(path)
                continue
            if d in _SKIP_DIRS or depth + 1 >= _MAX_DEPTH or matcher.excluded(path):
                continue
            keep.append(d)
        dirnames[:] = keep
    return found


def _pattern(path: str) -> str:
    return "**/__pycache__" if path.endswith("__pycache__") else path


def _covers(source: str, path: str) -> bool:
    if source in ("", "*"):
        return True
    return path == source or path.startswith(source + "/")


class DockerignoreLetsJunkThrough(Rule):
    """
    ## What it does
    When dockgen lints a Dockerfile together with its build context, flags a `COPY`/`ADD` that copies `.git`,
    `node_modules`, `.env` or a `__pycache__` directory present in the context because the `.dockerignore`
    does not exclude it.

    ## Why is this bad?
    These are never meant for the image: `.git` carries the whole history (and sometimes credentials in its
    config), `node_modules` holds host-built dependencies, `__pycache__` is bytecode of another interpreter and
    `.env` usually holds secrets. They make images bigger and invalidate the layer cache on every commit.

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
    COPY app.py .
    ```

    ## References
    - https://docs.docker.com/build/concepts/context/#dockerignore-files
    """

    code = "DG106"
    name = "dockerignore-lets-junk-through"
    reads_context = True
    severity = Severity.WARNING
    message = "the .dockerignore lets junk into the image"
    #: Files of the build context used when the documentation examples are run as tests.
    example_context: ClassVar[dict[str, str]] = {
        ".dockerignore": "*.log\n",
        ".env": "API_URL=http://localhost\n",
        "app.py": "print('hi')\n",
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        path = ignore_file(ctx)
        if path is None or ctx.context_dir is None:
            return
        matcher = read_matcher(path)
        if matcher is None:
            return
        root = ctx.context_dir
        junk: dict[str, str] = {}
        for name, why in TOP_LEVEL_JUNK.items():
            if os.path.lexists(root / name) and not matcher.excluded(name):
                junk[name] = why
        for rel in _pycache_dirs(root, matcher):
            junk[rel] = "Python bytecode caches"
        if not junk:
            return
        reported: set[str] = set()
        for ins, srcs in context_copies(ctx.dockerfile):
            hits = [j for j in junk if j not in reported and any(_covers(s, j) for s in srcs)]
            if not hits:
                continue
            reported.update(hits)
            listed = ", ".join(f"{h} ({junk[h]})" for h in hits)
            yield self.finding(
                ins,
                f"{ins.keyword} copies {listed}: add {', '.join(_pattern(h) for h in hits)} to {path.name}",
            )
