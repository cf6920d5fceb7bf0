"""Regular expressions compiled on first use.

A rule module is imported whenever a file can trigger its rule, but many of its patterns only matter for
some inputs (a pip requirement, a LABEL of a given type, a written config file). Compiling a pattern costs
50-700 us in CPython's pure-Python regex compiler; :func:`lazy_compile` defers that to the first match.
After that first use the pattern's own methods are bound on the instance, so later calls cost what a
compiled pattern's do.
"""

from __future__ import annotations

import re

from dockgen._static import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["lazy_compile"]

_METHODS = ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags_given = flags

    def __getattr__(self, name: str) -> Any:
        """Any attribute but the two above (``search``, ``flags``, ``groups``, ...) compiles the pattern once; its
        methods are then bound on the instance, so this runs no more for them."""
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags_given)
        for method in _METHODS:
            self.__dict__[method] = getattr(compiled, method)
        self.__dict__["compiled"] = compiled
        return self.__dict__[name] if name in self.__dict__ else getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Like :func:`re.compile`, compiled when first used (a bad pattern fails then, so test every one)."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]  # it answers as a re.Pattern does
