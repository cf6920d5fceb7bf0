"""Paths inside the image."""

from __future__ import annotations

import re

_WINDOWS_ABS = re.compile(r"^[A-Za-z]:[\\/]")


def is_absolute(path: str) -> bool:
    return path.startswith(("/", "\\")) or bool(_WINDOWS_ABS.match(path))
