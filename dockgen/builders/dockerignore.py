"""The files of a build context that BuildKit would send, after ``.dockerignore``.

Matching itself is :class:`dockgen.dockerignore.Matcher` (moby's patternmatcher semantics, shared with the
lint rules); this module walks a context directory with it, pruning excluded directories unless an
``!exception`` could re-include something below them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from dockgen.dockerignore import Matcher


def could_include_below(matcher: Matcher, directory: str) -> bool:
    """Whether an exception pattern might re-include something inside an excluded directory."""
    prefix = directory.strip("/") + "/"
    for pattern in matcher.patterns:
        if not pattern.exclusion:
            continue
        text = pattern.text
        literal = re.split(r"[*?\[\\]", text, maxsplit=1)[0]
        if literal.startswith(prefix) or prefix.startswith(literal) or "**" in text:
            return True
    return False


def context_files(context: Path, dockerignore: str | None = None) -> Iterator[str]:
    """Yield the context-relative paths (sorted, ``/``-separated) of files BuildKit would send.

    ``dockerignore`` is the ignore text; None reads ``context/.dockerignore`` when present. Symlinks are
    reported as files (their target text is part of the content, not what they point to).
    """
    if dockerignore is None:
        ignore_file = context / ".dockerignore"
        dockerignore = ignore_file.read_text(encoding="utf-8") if ignore_file.is_file() else ""
    matcher = Matcher.from_text(dockerignore)
    for root, dirs, files in os.walk(context, followlinks=False):
        rel_root = os.path.relpath(root, context)
        rel_root = "" if rel_root == "." else rel_root.replace(os.sep, "/")
        keep: list[str] = []
        for d in sorted(dirs):
            rel = f"{rel_root}/{d}" if rel_root else d
            full = os.path.join(root, d)
            if os.path.islink(full):
                if not matcher.excluded(rel):
                    files.append(d)
                continue
            if matcher.excluded(rel) and not could_include_below(matcher, rel):
                continue
            keep.append(d)
        dirs[:] = keep
        for f in sorted(files):
            rel = f"{rel_root}/{f}" if rel_root else f
            if not matcher.excluded(rel):
                yield rel
