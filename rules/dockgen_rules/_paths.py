"""Paths inside the image."""

from __future__ import annotations

from dockgen._lazyre import lazy_compile

_WINDOWS_ABS = lazy_compile(r"^[A-Za-z]:[\\/]")


def is_absolute(path: str) -> bool:
    return path.startswith(("/", "\\")) or bool(_WINDOWS_ABS.match(path))
