"""``.dockerignore`` matching as BuildKit does it (moby's patternmatcher semantics).

* one pattern per line; ``#`` starts a comment line; blank lines are ignored;
* a pattern is cleaned like Go's ``filepath.Clean`` and a leading ``/`` is dropped (patterns are relative
  to the context root);
* ``*`` matches any run of non-separator characters, ``?`` one non-separator character, ``[...]`` a
  character class (``[^...]`` negated, as in Go), ``\\`` escapes the next character;
* ``**`` matches any number of directories (including none);
* a pattern that matches a directory excludes everything below it;
* ``!pattern`` re-includes what an earlier pattern excluded; the last matching pattern wins.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pattern:
    text: str
    exclusion: bool
    regex: re.Pattern[str]


def _clean(pattern: str) -> str:
    cleaned = posixpath.normpath(pattern)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    if len(cleaned) > 1 and cleaned.startswith("/"):
        cleaned = cleaned[1:]
    return "" if cleaned == "." else cleaned


def _translate(pattern: str) -> re.Pattern[str]:
    out = ["^"]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 1
                # "**" (with an optional "/" after it) matches any number of directories, even none;
                # at the end of the pattern it matches everything below.
                if i + 1 < n and pattern[i + 1] == "/":
                    i += 1
                out.append(".*" if i + 1 >= n else "(?:.*/)?")
            else:
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            i += 1
            out.append(re.escape(pattern[i]) if i < n else re.escape("\\"))
        elif ch == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:  # an unterminated class is taken literally
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : j].replace("\\", "\\\\")
                out.append(f"[{body}]")
                i = j
        else:
            out.append(re.escape(ch))
        i += 1
    out.append("$")
    return re.compile("".join(out), re.DOTALL)


def parse(text: str) -> list[Pattern]:
    """Parse ``.dockerignore`` text into ordered patterns."""
    patterns: list[Pattern] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        cleaned = _clean(line)
        if not cleaned:
            continue
        patterns.append(Pattern(text=cleaned, exclusion=exclusion, regex=_translate(cleaned)))
    return patterns


class Matcher:
    """Decides whether a context-relative path (``/``-separated) is excluded from the build context."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns

    @classmethod
    def from_text(cls, text: str) -> Matcher:
        return cls(parse(text))

    def excluded(self, path: str) -> bool:
        path = _clean(path)
        parents = _parents(path)
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue  # only a pattern that could flip the current answer matters
            if pattern.regex.match(path) or any(pattern.regex.match(p) for p in parents):
                matched = not pattern.exclusion
        return matched

    def could_include_below(self, directory: str) -> bool:
        """Whether an exception pattern might re-include something inside an excluded directory."""
        prefix = _clean(directory) + "/"
        for pattern in self.patterns:
            if not pattern.exclusion:
                continue
            literal = re.split(r"[*?\[\\]", pattern.text, maxsplit=1)[0]
            if literal.startswith(prefix) or prefix.startswith(literal) or "**" in pattern.text:
                return True
        return False


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


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
            if matcher.excluded(rel) and not matcher.could_include_below(rel):
                continue
            keep.append(d)
        dirs[:] = keep
        for f in sorted(files):
            rel = f"{rel_root}/{f}" if rel_root else f
            if not matcher.excluded(rel):
                yield rel
