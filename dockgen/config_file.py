"""dockgen's config files: ``dockgen.toml``, ``.dockgen.toml``, or the ``[tool.dockgen]`` table of
``pyproject.toml``.

The lint, build and retention settings live in the same files; this module reads one file (with the same
located errors for unreadable bytes and bad TOML, whichever command reads it) and finds the nearest file
holding a given section.
"""

from __future__ import annotations

import re
from pathlib import Path

from dockgen._static import TYPE_CHECKING
from dockgen.errors import ConfigError

if TYPE_CHECKING:
    from typing import Any

#: Config file names, in the order they are looked for in each directory.
CONFIG_FILES = ("dockgen.toml", ".dockgen.toml", "pyproject.toml")


def read_text(path: Path) -> str:
    """The text of a config file; a :class:`ConfigError` when it cannot be read or is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config is not UTF-8 text (byte {exc.start}: {exc.reason})",
            file=str(path),
            hint="a dockgen.toml / pyproject.toml must be UTF-8 encoded TOML",
        ) from None


def dockgen_table(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The dockgen settings of a config file and its text.

    The whole document for ``dockgen.toml``; ``[tool.dockgen]`` for ``pyproject.toml`` (None when it has
    none). Invalid TOML is a :class:`ConfigError` at the line and column the parser names.
    """
    import tomllib  # only when there is a config file to read

    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+), column (\d+)", str(exc))
        line = int(m.group(1)) if m else (text.count("\n") or 1) if "end of document" in str(exc) else None
        raise ConfigError(
            f"invalid TOML: {str(exc).split(' (at ')[0]}",
            file=str(path),
            line=line,
            column=int(m.group(2)) if m else None,
        ) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        section = tool.get("dockgen") if isinstance(tool, dict) else None
        return (section if isinstance(section, dict) else None), text
    return data, text


def find_with_section(start: Path, section: str) -> Path | None:
    """The nearest config file whose dockgen settings hold ``section``, from ``start`` up to the directory
    holding ``.git`` (or ``/``)."""
    d = start.resolve()
    while True:
        for name in CONFIG_FILES:
            candidate = d / name
            if candidate.is_file():
                table, _ = dockgen_table(candidate)
                if table is not None and section in table:
                    return candidate
        if (d / ".git").exists() or d.parent == d:
            return None
        d = d.parent
