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

    def _compile(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self.flags_given)
        for name in _METHODS:
            self.__dict__[name] = getattr(compiled, name)  # shadows the method below from now on
        self.__dict__["compiled"] = compiled
        return compiled

    def search(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().search(*args, **kwargs)

    def match(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().match(*args, **kwargs)

    def fullmatch(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().fullmatch(*args, **kwargs)

    def findall(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().findall(*args, **kwargs)

    def finditer(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().finditer(*args, **kwargs)

    def sub(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().sub(*args, **kwargs)

    def subn(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().subn(*args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> Any:
        return self._compile().split(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # flags, groups, groupindex, scanner
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self.__dict__.get("compiled") or self._compile()
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Like :func:`re.compile`, compiled when first used (a bad pattern fails then, so test every one)."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]  # it answers as a re.Pattern does
