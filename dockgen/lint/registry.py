"""Rule discovery: every rule pack registered under the ``dockgen.rules`` entry point group.

A pack is an import package (the built-in one is ``dockgen_rules``); its modules are walked with
:mod:`pkgutil` and every :class:`~dockgen.lint.rule.Rule` subclass defined there that has a ``code`` becomes a
rule. There is no hand-kept list. :func:`check_rules` holds the consistency checks (codes unique and ``DGnnn``,
names kebab-case and unique, documentation sections present) that the test-suite runs on every pack.

Rules are instantiated once per :class:`RuleSet` and reused for every file.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from types import ModuleType

from dockgen.lint.rule import FixAvailability, Rule

ENTRY_POINT_GROUP = "dockgen.rules"
CODE_RE = re.compile(r"^DG\d{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Equivalent ids by tool, recognised by shape.
_TOOL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hadolint", re.compile(r"^(?:DL|SC)\d{4}$")),
    ("trivy", re.compile(r"^(?:AVD-)?DS-?\d{3,4}$")),
    ("checkov", re.compile(r"^CKV2?_DOCKER_\d+$")),
    ("buildkit", re.compile(r"^[A-Z][A-Za-z]+$")),
)


def equivalent_tool(ident: str) -> str | None:
    """Which tool an equivalent id belongs to (``DL3008`` -> hadolint, ``JSONArgsRecommended`` -> buildkit)."""
    for tool, pattern in _TOOL_PATTERNS:
        if pattern.match(ident):
            return tool
    return None


class RuleLoadError(Exception):
    """A rule pack could not be imported (a bug in the pack, reported with exit code 3)."""


@dataclass
class RuleSet:
    """The discovered rules (instances, one per class), indexed by code, name and equivalent id."""

    rules: tuple[Rule, ...]
    by_code: dict[str, Rule] = field(init=False)
    by_name: dict[str, Rule] = field(init=False)
    by_equivalent: dict[str, list[Rule]] = field(init=False)

    def __post_init__(self) -> None:
        self.rules = tuple(sorted(self.rules, key=lambda r: r.code))
        self.by_code = {r.code: r for r in self.rules}
        self.by_name = {r.name: r for r in self.rules}
        self.by_equivalent = {}
        for r in self.rules:
            for eq in r.equivalents:
                self.by_equivalent.setdefault(eq.upper(), []).append(r)

    @classmethod
    def from_classes(cls, classes: Iterable[type[Rule]]) -> RuleSet:
        return cls(tuple(c() for c in classes))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, code_or_name: str) -> Rule | None:
        return self.by_code.get(code_or_name.upper()) or self.by_name.get(code_or_name.lower())

    def resolve(self, selector: str) -> list[Rule] | None:
        """The rules a selector names, or None when it names nothing known.

        A selector is ``ALL``, a code (``DG001``), a code prefix (``DG1``, ``DG01``), a rule name
        (``apt-get-install-without-yes``) or another tool's id listed in a rule's ``equivalents``
        (``DL3014``, ``JSONArgsRecommended``; case-insensitive).
        """
        sel = selector.strip()
        up = sel.upper()
        if up == "ALL":
            return list(self.rules)
        if up in self.by_code:
            return [self.by_code[up]]
        if sel.lower() in self.by_name:
            return [self.by_name[sel.lower()]]
        if up in self.by_equivalent:
            return list(self.by_equivalent[up])
        if re.fullmatch(r"DG\d{1,2}", up):
            found = [r for r in self.rules if r.code.startswith(up)]
            return found or None
        return None


def _walk(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    path = getattr(package, "__path__", None)
    if path is None:
        return
    for info in sorted(pkgutil.walk_packages(path, prefix=package.__name__ + "."), key=lambda i: i.name):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        yield importlib.import_module(info.name)


def rule_classes_in(module: ModuleType) -> list[type[Rule]]:
    """Rule subclasses with a code, defined in ``module`` and its submodules."""
    found: list[type[Rule]] = []
    for mod in _walk(module):
        for _, obj in inspect.getmembers(mod, inspect.isclass):
            if issubclass(obj, Rule) and obj.__module__ == mod.__name__ and obj.code:
                found.append(obj)
    return found


def discover_rule_classes(group: str = ENTRY_POINT_GROUP) -> list[type[Rule]]:
    """Load every pack registered under ``group`` and collect its rule classes."""
    classes: list[type[Rule]] = []
    # The same pack registered twice (an environment that still holds the project's dist-info under an
    # old distribution name next to the new one) is loaded once.
    unique = {(e.name, e.value): e for e in entry_points(group=group)}
    for ep in sorted(unique.values(), key=lambda e: e.name):
        try:
            target = ep.load()
            if isinstance(target, type) and issubclass(target, Rule):
                classes.append(target)
            elif isinstance(target, ModuleType):
                classes.extend(rule_classes_in(target))
            else:
                raise RuleLoadError(
                    f"entry point {ep.name!r} = {ep.value!r} is neither a module nor a Rule class"
                )
        except RuleLoadError:
            raise
        except Exception as exc:
            raise RuleLoadError(f"rule pack {ep.name!r} ({ep.value}) failed to import: {exc!r}") from exc
    return classes


@cache
def default_ruleset() -> RuleSet:
    """Every installed rule, instantiated once per process."""
    return RuleSet.from_classes(discover_rule_classes())


REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")


def check_rules(classes: Iterable[type[Rule]]) -> list[str]:
    """Consistency problems of a set of rule classes (empty when all is well)."""
    from dockgen.lint.docs import parse_doc

    problems: list[str] = []
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for cls in classes:
        where = f"{cls.__module__}.{cls.__qualname__}"
        if not CODE_RE.match(cls.code):
            problems.append(f"{where}: code {cls.code!r} is not DGnnn")
        if cls.code in seen_codes:
            problems.append(f"{where}: code {cls.code} already used by {seen_codes[cls.code]}")
        seen_codes.setdefault(cls.code, where)
        if not NAME_RE.match(cls.name):
            problems.append(f"{where}: name {cls.name!r} is not kebab-case")
        if cls.name in seen_names:
            problems.append(f"{where}: name {cls.name!r} already used by {seen_names[cls.name]}")
        seen_names.setdefault(cls.name, where)
        if not isinstance(cls.fix_availability, FixAvailability):
            problems.append(
                f"{where}: fix_availability must be a FixAvailability (always, sometimes, never), "
                f"not {cls.fix_availability!r}"
            )
        if "fixable" in vars(cls):
            problems.append(
                f"{where}: 'fixable' is not read: declare fix_availability, and safety on each Fix"
            )
        if not cls.message:
            problems.append(f"{where}: no default message")
        for eq in cls.equivalents:
            if equivalent_tool(eq) is None:
                problems.append(f"{where}: equivalent {eq!r} matches no known tool's id format")
        doc = parse_doc(cls)
        for section in REQUIRED_SECTIONS:
            if not doc.sections.get(section, "").strip():
                problems.append(f"{where}: docs section '## {section}' missing or empty")
        for section in ("Example", "Use instead"):
            if doc.sections.get(section) and doc.code_block(section) is None:
                problems.append(f"{where}: docs section '## {section}' has no fenced dockerfile block")
    return problems
