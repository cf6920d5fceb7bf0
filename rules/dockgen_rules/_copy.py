"""Sources of COPY/ADD and what they read from the build context."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockgen.ir import Dockerfile, IRInstruction


def is_remote(source: str) -> bool:
    """A URL or git source (``https://...``, ``git@host:repo``)."""
    low = source.lower()
    return "://" in low or low.startswith("git@")


def sources(ins: IRInstruction) -> tuple[str, ...]:
    """The source operands of a COPY/ADD (every argument but the destination; heredoc names excluded)."""
    return tuple(a for a in ins.args[:-1] if not a.startswith("<<"))


def context_sources(ins: IRInstruction) -> list[str]:
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


_GLOB_CHARS = frozenset("*?[\\$")


def has_glob(path: str) -> bool:
    return any(c in _GLOB_CHARS for c in path)


def context_copies(df: Dockerfile) -> Iterator[tuple[IRInstruction, list[str]]]:
    """Every COPY/ADD reading the build context (ONBUILD triggers excluded), with its sources."""
    for ins in df.instructions:
        srcs = context_sources(ins)
        if srcs:
            yield ins, srcs
