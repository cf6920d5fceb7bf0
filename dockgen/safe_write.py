"""Replacing a user's file without ever leaving it half-written.

:func:`replace_file` writes the new bytes to a temporary file in the same directory as the real file, flushes
them to disk, gives the temporary file the original's mode and owner, and renames it over the original: a
reader sees the old bytes or the new ones, never a mix, and a full disk leaves the original untouched. A
symbolic link is written through (the link stays a link; its target is replaced). When ``expected`` is given
the file must still hold exactly those bytes (read just before the rename): a concurrent edit is refused
instead of overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from dockgen.errors import DockgenError

__all__ = ["FileChangedError", "FileWriteError", "replace_file"]


class FileWriteError(DockgenError):
    """The file could not be replaced; it is unchanged."""


class FileChangedError(FileWriteError):
    """The file changed on disk since it was read; it is left as the other writer left it."""


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def replace_file(
    path: Path,
    data: bytes,
    *,
    expected: bytes | None = None,
    mode: int | None = None,
    what: str = "file",
) -> None:
    """Atomically replace ``path`` (through a symlink) with ``data``.

    ``expected``: the bytes the file held when it was read (None: the file may be new or anything).
    ``mode``: permissions for a new file (an existing file keeps its own). Raises :class:`FileChangedError`
    or :class:`FileWriteError`; in both cases ``path`` is as it was.
    """
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise FileWriteError(f"{path}: cannot write the {what}: {_reason(exc)}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise FileWriteError(f"{path}: not a regular file, left unchanged")
    if st is not None and not st.st_mode & 0o222:
        raise FileWriteError(
            f"{path}: the {what} is read-only (mode {stat.S_IMODE(st.st_mode):04o}), left unchanged",
            hint="make it writable (chmod u+w) to let dockgen rewrite it",
        )
    _check_unchanged(path, target, expected)
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".dockgen-tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            if st is not None:
                os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))
                if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(PermissionError):
                        os.fchown(fh.fileno(), st.st_uid, st.st_gid)
            else:
                os.fchmod(fh.fileno(), 0o666 & ~_umask() if mode is None else mode)
        _check_unchanged(path, target, expected)
        os.replace(tmp, target)
        tmp = ""
    except OSError as exc:
        raise FileWriteError(
            f"{path}: cannot write the {what}: {_reason(exc)}; the file is unchanged",
            hint="free space or fix permissions, then run again",
        ) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _check_unchanged(path: Path, target: Path, expected: bytes | None) -> None:
    if expected is None:
        return
    try:
        now = target.read_bytes()
    except OSError:
        now = None
    if now != expected:
        raise FileChangedError(
            f"{path}: the file changed on disk since dockgen read it; left as it is now",
            hint="run the command again on the new content",
        )


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
