"""The lint cache: a file whose content, config, rules and build context did not change is not linted again.

Like ruff's ``.ruff_cache``, results live in ``.dockgen_cache/`` in the current directory (``DOCKGEN_CACHE_DIR``
moves it), which holds its own ``.gitignore`` (``*``) and a ``CACHEDIR.TAG``, so it is never committed nor backed
up. Files named after dockgen's version and the rule set (``lint-<key>-<shard>.json``, 16 shards, so that
linting one file reads a sixteenth of the cache) map a per-file key to that file's findings. The key hashes:

* the path as shown and the file's bytes;
* the effective config of the file (selection, severities, options, per-path ignores, context);
* the rule set (every rule's metadata) and dockgen's version (in the cache file's name);
* when an enabled rule reads the build context (``Rule.reads_context``: .dockerignore, lockfiles,
  manifests), the context directory's tree: every entry's name, type, size and modification time (of VCS,
  dependency and cache directories only their presence; the lint cache's own directory not at all).

Writes are atomic (a temporary file in the same directory, then ``os.replace``), and a run merges what is on
disk when it saves, so concurrent runs never see a torn file and at worst recompute an entry. A cache that
cannot be read or written is ignored: linting never fails because of it. ``dockgen lint --no-cache`` skips it.
Results holding an internal error (a crashed rule) are not cached.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path
from stat import S_ISDIR

from dockgen._static import TYPE_CHECKING
from dockgen.ir import Span
from dockgen.lint.rule import Finding, Fix, Severity

if TYPE_CHECKING:
    from typing import Any

try:  # importing hashlib loads OpenSSL (about 3 ms here); its blake2b is this built-in module's anyway
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the built-in module
    from hashlib import blake2b

CACHE_DIR_NAME = ".dockgen_cache"
#: Bumped when the layout of a cache entry changes.
FORMAT = 2
#: A build context with more entries than this is not fingerprinted (its files are linted every time).
MAX_CONTEXT_ENTRIES = 20_000
#: Directories whose contents do not count for the context fingerprint (their own presence does).
_OPAQUE_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", CACHE_DIR_NAME}
)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def cache_dir() -> Path:
    return Path(os.environ.get("DOCKGEN_CACHE_DIR") or CACHE_DIR_NAME)


def finding_to_json(f: Finding, path: str | None = None) -> list[Any]:
    """A finding in the cache's compact form; ``path`` (the linted file, part of the entry's key) is stored as
    ``0`` where the finding names it, so a warm run decodes far fewer strings."""
    s = f.span
    span = (
        None
        if s is None
        else [
            0 if s.file == path else s.file,
            s.start_line,
            s.end_line,
            s.start_col,
            s.end_col,
            s.start,
            s.end,
        ]
    )
    fix = None if f.fix is None else [f.fix.description, f.fix.safe]
    shown = 0 if f.path == path else f.path
    return [f.code, f.name, f.message, int(f.severity), span, shown, fix, f.source]


def finding_from_json(data: list[Any], path: str | None = None) -> Finding:
    """A finding as stored (``path`` as given to :func:`finding_to_json`); a fix keeps its description and
    safety (its edits are not stored: ``--fix`` and ``--diff`` always lint afresh)."""
    code, name, message, severity, span, shown, fix, source = data
    return Finding(
        code,
        name,
        message,
        _SEVERITIES[severity],
        None if span is None else Span(path if span[0] == 0 else span[0], *span[1:]),
        path if shown == 0 else shown,
        None if fix is None else Fix(fix[0], (), fix[1]),
        source,
    )


_SEVERITIES = {int(s): s for s in Severity}


def context_fingerprint(root: Path, skip: str | None = None) -> str | None:
    """Names, types, sizes and modification times of everything under ``root`` (None: too big to track).

    Of the directories in ``_OPAQUE_DIRS`` (VCS data, dependencies, caches) only the presence counts, not their
    size or time, which change with every commit or install; the directory ``skip`` (the lint cache itself,
    wherever it is) does not count at all: writing the cache must not change the key of what it caches."""
    skip_name = os.path.basename(skip) if skip else None
    parts: list[str] = []
    count = 0
    stack = [os.fspath(root)]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=_name)
        except OSError as exc:
            parts.append(f"!{here}:{exc.errno}\n")
            continue
        count += len(entries)
        if count > MAX_CONTEXT_ENTRIES:
            return None
        for e in entries:
            name = e.name
            if name == skip_name and os.path.realpath(e.path) == skip:
                continue
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            is_dir = S_ISDIR(st.st_mode)
            if is_dir and name in _OPAQUE_DIRS:
                parts.append(f"{e.path}\0opaque\n")
                continue
            parts.append(f"{e.path}\0{int(is_dir)}\0{st.st_size}\0{st.st_mtime_ns}\n")
            if is_dir:
                stack.append(e.path)
    return blake2b("".join(parts).encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()


_name = attrgetter("name")


class LintCache:
    """Per-file lint results keyed by content, config, rules, version and (when read) the build context."""

    def __init__(self, directory: Path, ruleset_fingerprint: str, version: str) -> None:
        self.directory = directory
        self.name = blake2b(f"{FORMAT}\0{version}\0{ruleset_fingerprint}".encode(), digest_size=8).hexdigest()
        self._shards: dict[str, dict[str, Any]] = {}
        self._new: dict[str, dict[str, Any]] = {}
        self._contexts: dict[Path, str | None] = {}
        self._real_directory: str | None = None

    def shard_file(self, shard: str) -> Path:
        return self.directory / f"lint-{self.name}-{shard}.json"

    @staticmethod
    def key(path: str, data: bytes, config_key: str, context: str | None) -> str:
        h = blake2b(digest_size=32)
        for part in (path.encode("utf-8", "surrogateescape"), config_key.encode(), (context or "").encode()):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
        h.update(data)
        return h.hexdigest()

    def context(self, root: Path) -> str | None:
        """The fingerprint of a build context directory (computed once per run)."""
        if root not in self._contexts:
            if self._real_directory is None:
                self._real_directory = os.path.realpath(self.directory)
            found = context_fingerprint(root, self._real_directory) if root.is_dir() else "absent"
            self._contexts[root] = found
        return self._contexts[root]

    def _load(self, shard: str) -> dict[str, Any]:
        found = self._shards.get(shard)
        if found is None:
            found = self._shards[shard] = self._read(shard)
        return found

    def _read(self, shard: str) -> dict[str, Any]:
        try:
            with open(self.shard_file(shard), encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str, path: str | None = None) -> tuple[bool, list[Finding]] | None:
        """``(parse_error, findings)`` stored for ``key`` (of the file ``path``), or None."""
        entry = self._new.get(key[0], {}).get(key) or self._load(key[0]).get(key)
        if not isinstance(entry, list) or len(entry) != 2:
            return None
        try:
            return bool(entry[0]), [finding_from_json(f, path) for f in entry[1]]
        except (TypeError, ValueError, KeyError, IndexError):
            return None

    def put(self, key: str, parse_error: bool, findings: Iterable[Finding], path: str | None = None) -> None:
        self._new.setdefault(key[0], {})[key] = [parse_error, [finding_to_json(f, path) for f in findings]]

    def save(self) -> None:
        """Write new entries (merged with what another run may have written meanwhile), atomically."""
        if not self._new:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                _atomic_write(ignore, "# Automatically created by dockgen.\n*\n")
                _atomic_write(
                    self.directory / "CACHEDIR.TAG",
                    "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by dockgen.\n",
                )
            for shard, new in self._new.items():
                merged = self._read(shard)
                merged.update(new)
                _atomic_write(self.shard_file(shard), json.dumps(merged, separators=(",", ":")))
                self._shards[shard] = merged
            self._new = {}
        except OSError:
            pass  # a read-only tree or a full disk: lint results are still reported


def _atomic_write(path: Path, text: str) -> None:
    import tempfile  # only when something is written

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(
            fd, 0o644 & ~_umask()
        )  # mkstemp creates 0600; a cache file is as readable as any other file
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
