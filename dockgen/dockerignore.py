"""``.dockerignore``: dockgen's default entries, rendering, and a faithful matcher.

**Generation.** :func:`render_dockerignore` writes a header, dockgen's default sections (:data:`DEFAULTS`:
VCS folders, editor/OS files, Python and Node caches, virtualenvs, build output, ``.env`` files, key files,
the Dockerfiles themselves) and then the image's own entries, last, so that an ``!exception`` there wins
(the last matching pattern decides). Output is deterministic.

**Matching.** :class:`Matcher` answers "is this path excluded from the build context?" exactly as BuildKit does
(moby's ``patternmatcher`` and ``ignorefile`` semantics):

* lines starting with ``#`` are comments; blank lines are ignored; patterns are trimmed;
* a pattern is cleaned like Go's ``filepath.Clean`` (``./a//b/`` -> ``a/b``) and a leading ``/`` is dropped:
  every pattern is relative to the context root, so ``*.pyc`` matches only at the root, ``**/*.pyc`` anywhere;
* ``*`` matches any run of characters except ``/``, ``?`` one character except ``/``, ``[...]`` a character
  class (``[^...]`` negated), ``\\`` escapes the next character;
* ``**`` matches any number of directories, including none (``**/x``, ``a/**/b``, ``a/**``);
* a pattern that matches a directory excludes everything below it;
* ``!pattern`` re-includes what earlier patterns excluded; the last pattern that matches decides.

This module is public API: lint rules (a COPY of an ignored file) and the builder (context hashing) use
``Matcher(patterns).excluded("path/in/context")``.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from dockgen._record import record
from dockgen._static import TYPE_CHECKING
from dockgen.errors import DockgenError

if TYPE_CHECKING:
    from typing import Literal

    MatchType = Literal["exact", "prefix", "suffix", "regexp"]

__all__ = [
    "DEFAULTS",
    "Matcher",
    "Pattern",
    "context_files",
    "could_include_below",
    "dockerignore_entries",
    "read_patterns",
    "render_dockerignore",
]

#: dockgen's default ``.dockerignore`` sections: (title, patterns). Root-only entries are the ones that are
#: only ever found at the project root; the rest use ``**/`` to match anywhere in the context.
DEFAULTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("version control", (".git", ".gitmodules", ".hg", ".svn", ".bzr")),
    (
        "editors and operating systems",
        (".idea", ".vscode", "**/*.swp", "**/*.swo", "**/*~", "**/.DS_Store", "**/Thumbs.db"),
    ),
    (
        "Python caches and virtualenvs",
        (
            "**/__pycache__",
            "**/*.py[cod]",
            "**/.pytest_cache",
            "**/.mypy_cache",
            "**/.ruff_cache",
            ".tox",
            ".nox",
            ".venv",
            "venv",
            "**/.venv",
        ),
    ),
    ("Node", ("**/node_modules", "**/npm-debug.log*", "**/yarn-error.log*", ".npm", ".yarn/cache")),
    (
        "build and test output",
        ("dist", "build", "**/*.egg-info", ".coverage", ".coverage.*", "coverage", "htmlcov", "coverage.xml"),
    ),
    (
        "secrets: environment files and keys (templates kept)",
        (
            ".env",
            ".env.*",
            "!.env.example",
            "**/*.pem",
            "**/*.key",
            "**/id_rsa*",
            "**/id_ed25519*",
            "**/id_ecdsa*",
        ),
    ),
    (
        "container build files (not needed inside the context)",
        ("Dockerfile", "Dockerfile.*", "*.Dockerfile", ".dockerignore", "build_images.py"),
    ),
)


def dockerignore_entries(user: Sequence[str] = (), *, defaults: bool = True) -> list[str]:
    """The effective pattern list: dockgen's defaults (if ``defaults``), then ``user`` entries."""
    out: list[str] = []
    if defaults:
        for _, patterns in DEFAULTS:
            out.extend(patterns)
    out.extend(user)
    return out


def render_dockerignore(
    user: Sequence[str] = (),
    *,
    defaults: bool = True,
    header: str | None = None,
) -> str:
    """``.dockerignore`` text: ``header`` (a comment), the default sections, then the user's entries."""
    from dockgen.render import _env

    for entry in user:
        if "\n" in entry:
            raise DockgenError(
                f".dockerignore entry {entry!r} spans lines", hint="give one pattern per entry"
            )
    sections = [{"title": t, "patterns": list(p)} for t, p in DEFAULTS] if defaults else []
    if user:
        sections.append(
            {"title": "project entries (last, so their ! exceptions win)", "patterns": list(user)}
        )
    lines = header.splitlines() if header else []
    text = _env().get_template("dockerignore.j2").render(header=lines, sections=sections)
    return text.lstrip("\n")


# ---- matching -------------------------------------------------------------------------------------------


def _clean(path: str) -> str:
    """Go's ``filepath.Clean`` for ``/``-separated paths."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


@record(frozen=True)
class Pattern:
    """One compiled pattern. ``text`` is the cleaned pattern without ``!``."""

    text: str
    exclusion: bool
    match_type: MatchType
    program: Glob | None

    @classmethod
    def compile(cls, raw: str) -> Pattern:
        p = raw.strip()
        exclusion = p.startswith("!")
        if exclusion:
            p = p[1:].strip()
            if not p:
                raise DockgenError('illegal exclusion pattern: "!"', hint="write !path to re-include a path")
        p = _clean(p)
        if len(p) > 1 and p.startswith("/"):
            p = p[1:]
        program, match_type = _translate(p)
        return cls(p, exclusion, match_type, program)

    def match(self, path: str) -> bool:
        if self.match_type == "exact":
            return path == self.text
        if self.match_type == "prefix":
            return path.startswith(self.text[:-2])
        if self.match_type == "suffix":
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        assert self.program is not None
        return self.program.match(path)


# Tokens of a compiled glob. moby's patternmatcher turns a pattern into a Go regular expression; the same
# language is matched here by a bit-parallel NFA (one bit per token), in time linear in the path length
# times the pattern length / machine word, never by backtracking: `**/*a*a*a*a*a*a*a*b` or 2,000 `*` then
# `b` cost microseconds, not minutes.
_LIT, _ONE, _STAR, _DSTAR_DIR, _DSTAR_ALL, _CLASS = range(6)


@record(frozen=True)
class _Class:
    negated: bool
    singles: frozenset[str]
    ranges: tuple[tuple[str, str], ...]

    def __contains__(self, ch: str) -> bool:
        hit = ch in self.singles or any(lo <= ch <= hi for lo, hi in self.ranges)
        return hit != self.negated


class Glob:
    """A compiled pattern (``*`` ``?`` ``**`` ``[...]`` ``\\x``), matched against a whole path."""

    def __init__(self, tokens: list[tuple[int, object]]) -> None:
        self.tokens = tokens
        self.size = len(tokens)
        self.accept = 1 << self.size
        skip = 0
        for i, (kind, _) in enumerate(tokens):
            if kind in (_STAR, _DSTAR_DIR, _DSTAR_ALL):
                skip |= 1 << i
        self.skip = skip
        self._masks: dict[str, tuple[int, int]] = {}

    def _closure(self, state: int) -> int:
        # every set bit inside a run of skippable tokens also reaches the rest of the run and the token after
        return state | ((self.skip + (state & self.skip)) ^ self.skip)

    def _masks_for(self, ch: str) -> tuple[int, int]:
        found = self._masks.get(ch)
        if found is not None:
            return found
        advance = stay = 0
        for i, (kind, arg) in enumerate(self.tokens):
            bit = 1 << i
            if kind == _LIT:
                if arg == ch:
                    advance |= bit
            elif kind == _ONE:
                if ch != "/":
                    advance |= bit
            elif kind == _CLASS:
                if ch in arg:  # type: ignore[operator]
                    advance |= bit
            elif kind == _STAR:
                if ch != "/":
                    stay |= bit
            elif kind == _DSTAR_DIR:  # (.*/)?: anything, leaving only right after a "/"
                stay |= bit
                if ch == "/":
                    advance |= bit
            else:  # _DSTAR_ALL: .*
                stay |= bit
        if len(self._masks) < 512:
            self._masks[ch] = (advance, stay)
        return advance, stay

    def match(self, path: str) -> bool:
        state = self._closure(1)
        for ch in path:
            advance, stay = self._masks_for(ch)
            state = self._closure(((state & advance) << 1) | (state & stay))
            if not state:
                return False
        return bool(state & self.accept)


def _parse_class(pattern: str, i: int) -> tuple[_Class, int]:
    """``pattern[i]`` follows ``[``; return the class and the index after its ``]`` (Go regexp syntax)."""
    n = len(pattern)
    negated = i < n and pattern[i] == "^"
    if negated:
        i += 1
    singles: set[str] = set()
    ranges: list[tuple[str, str]] = []
    first = True
    while i < n and (pattern[i] != "]" or first):
        first = False
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            ch = pattern[i + 1]
            i += 1
        i += 1
        if i + 1 < n and pattern[i] == "-" and pattern[i + 1] != "]":
            hi = pattern[i + 1]
            if hi == "\\" and i + 2 < n:
                hi = pattern[i + 2]
                i += 1
            i += 2
            if hi < ch:
                raise DockgenError(
                    f".dockerignore pattern {pattern!r} is invalid: bad character range {ch}-{hi}",
                    hint="check its [...] character classes",
                )
            ranges.append((ch, hi))
        else:
            singles.add(ch)
    if i >= n:
        raise DockgenError(
            f".dockerignore pattern {pattern!r} is invalid: unterminated character class",
            hint="check its [...] character classes",
        )
    return _Class(negated, frozenset(singles), tuple(ranges)), i + 1


def _translate(pattern: str) -> tuple[Glob | None, MatchType]:
    tokens: list[tuple[int, object]] = []
    kind: MatchType = "exact"
    i, n = 0, len(pattern)

    def add(token: tuple[int, object]) -> None:
        # runs of the same repeatable token match what one of them matches: keep the program small
        if tokens and token[0] in (_STAR, _DSTAR_DIR, _DSTAR_ALL) and tokens[-1][0] == token[0]:
            return
        tokens.append(token)

    while i < n:
        ch = pattern[i]
        first = i == 0
        i += 1
        if ch == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                if i >= n:
                    if kind == "exact":
                        kind = "prefix"
                    else:
                        add((_DSTAR_ALL, None))
                        kind = "regexp"
                else:
                    add((_DSTAR_DIR, None))
                    kind = "regexp"
                if first:
                    kind = "suffix"
            else:
                add((_STAR, None))
                kind = "regexp"
        elif ch == "?":
            add((_ONE, None))
            kind = "regexp"
        elif ch == "\\":
            if i < n:
                add((_LIT, pattern[i]))
                i += 1
                kind = "regexp"
            else:
                add((_LIT, "\\"))
        elif ch == "[":
            cls, i = _parse_class(pattern, i)
            add((_CLASS, cls))
            kind = "regexp"
        elif ch == "]":
            add((_LIT, "]"))
            kind = "regexp"
        else:
            add((_LIT, ch))
    if kind != "regexp":
        return None, kind
    return Glob(tokens), kind


def read_patterns(text: str) -> list[str]:
    """The patterns of a ``.dockerignore`` file's text (comments and blank lines dropped, BOM removed)."""
    out: list[str] = []
    for number, line in enumerate(text.splitlines()):
        if number == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        line = line.strip()
        if line:
            out.append(line)
    return out


class Matcher:
    """BuildKit's ``.dockerignore`` semantics: ``Matcher(patterns).excluded("src/app.py")``.

    ``patterns`` are pattern strings (``!`` for exceptions); use :meth:`from_text` for a file's content.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: tuple[Pattern, ...] = tuple(Pattern.compile(p) for p in patterns if p.strip())

    @classmethod
    def from_text(cls, text: str) -> Matcher:
        return cls(read_patterns(text))

    @property
    def has_exceptions(self) -> bool:
        return any(p.exclusion for p in self.patterns)

    def excluded(self, path: str) -> bool:
        """True when ``path`` (relative to the context, ``/``-separated) is left out of the build context."""
        path = _clean(path.replace("\\", "/") if "/" not in path else path)
        path = path.lstrip("/")
        if path in ("", "."):
            return False
        parent = posixpath.dirname(path) or "."
        parents = parent.split("/")
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            hit = pattern.match(path)
            if not hit and parent != ".":
                for k in range(1, len(parents) + 1):
                    if pattern.match("/".join(parents[:k])):
                        hit = True
                        break
            if hit:
                matched = not pattern.exclusion
        return matched

    def included(self, path: str) -> bool:
        return not self.excluded(path)


# ---- the files of a build context that BuildKit would send -------------------------------------------------


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
