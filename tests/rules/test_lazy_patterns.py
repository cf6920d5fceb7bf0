"""Every pattern a rule module compiles lazily is a valid regular expression and behaves like re.compile's."""

from __future__ import annotations

import importlib
import pkgutil
import re

import dockgen_rules

from dockgen._lazyre import _LazyPattern, lazy_compile


def test_every_lazy_pattern_in_the_rule_pack_compiles() -> None:
    seen = 0
    for info in pkgutil.iter_modules(dockgen_rules.__path__):
        module = importlib.import_module(f"dockgen_rules.{info.name}")
        for value in vars(module).values():
            if isinstance(value, _LazyPattern):
                assert value.compiled is not None  # compiling raises re.error for a bad pattern
                seen += 1
    assert seen >= 50  # the pack's module-level patterns are lazy


def test_a_lazy_pattern_answers_like_the_compiled_one() -> None:
    lazy = lazy_compile(r"(?P<word>[a-z]+)-(\d+)", re.I)
    eager = re.compile(r"(?P<word>[a-z]+)-(\d+)", re.I)
    text = "Abc-12 de-3 x"
    assert lazy.search(text).groups() == eager.search(text).groups()  # type: ignore[union-attr]
    assert lazy.findall(text) == eager.findall(text)
    assert lazy.sub(r"\2", text) == eager.sub(r"\2", text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy.match("zz-1") and not lazy.fullmatch("zz-1 ")
    assert lazy.split(text) == eager.split(text)
    assert (lazy.groups, lazy.groupindex, lazy.flags) == (eager.groups, eager.groupindex, eager.flags)
    fresh = lazy_compile(r"a+")
    assert fresh.flags == re.compile(r"a+").flags  # attributes compile it too
