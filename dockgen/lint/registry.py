"""Rule discovery: every rule pack registered under the ``dockgen.rules`` entry point group.

A pack is an import package (the built-in one is ``dockgen_rules``); its modules are walked with
:mod:`pkgutil` and every :class:`~dockgen.lint.rule.Rule` subclass defined there that has a ``code`` becomes a
rule. There is no hand-kept list. :func:`check_rules` holds the consistency checks (codes unique and ``DGnnn``,
names kebab-case and unique, documentation sections present) that the test-suite runs on every pack.

A :class:`RuleSet` holds :class:`RuleInfo` entries: a rule's metadata (code, name, severity, equivalents,
what it looks at) and, once needed, its class. A pack may ship a generated index,
``<pack>._index`` (the built-in one does: ``scripts/gen_rule_index.py`` writes it and a test fails when it is
stale); it is found by the name the entry point gives, so the engine imports no pack by itself. With an index,
a pack's rules are listed without importing them and a rule module is imported only when a file can trigger it.
Whether other packs are installed is read from the installed distributions' ``entry_points.txt`` files,
without :mod:`importlib.metadata`; only then are entry points loaded.

Rules are instantiated once per :class:`RuleSet` and reused for every file.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from types import ModuleType

from dockgen._record import record
from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import FixAvailability, InstructionRule, Rule, Severity

if TYPE_CHECKING:
    from typing import Any

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


def triggers_of(cls: type[Rule]) -> frozenset[str] | None:
    """The instruction keywords one of which a file must contain for ``cls`` to find anything; None: any file.

    An :class:`InstructionRule` looks at its ``keywords`` (and ONBUILD when it looks inside triggers); a
    whole-file rule states it with ``triggers`` (default: any file)."""
    if issubclass(cls, InstructionRule) and cls.check is InstructionRule.check:
        if not cls.keywords:
            return None
        return cls.keywords | ({"ONBUILD"} if cls.include_onbuild else frozenset())
    return cls.triggers


@record(frozen=True)
class RuleInfo:
    """What the engine, the config and the formatters need to know of a rule without importing it."""

    code: str
    name: str
    severity: Severity
    enabled_by_default: bool
    message: str
    fix_availability: FixAvailability
    equivalents: tuple[str, ...]
    options_used: tuple[str, ...]
    triggers: frozenset[str] | None
    reads_context: bool
    module: str
    qualname: str

    @classmethod
    def of(cls, rule: type[Rule]) -> RuleInfo:
        return cls(
            code=rule.code,
            name=rule.name,
            severity=rule.severity,
            enabled_by_default=rule.enabled_by_default,
            message=rule.message,
            fix_availability=rule.fix_availability,
            equivalents=tuple(rule.equivalents),
            options_used=tuple(rule.options_used),
            triggers=triggers_of(rule),
            reads_context=rule.reads_context,
            module=rule.__module__,
            qualname=rule.__qualname__,
        )

    @classmethod
    def from_index(cls, row: tuple[Any, ...]) -> RuleInfo:
        """An entry of a generated index (see :meth:`index_row`)."""
        code, name, severity, enabled, message, fix, equivalents, options, triggers, reads, module, qual = row
        return cls(
            code=code,
            name=name,
            severity=Severity[severity],
            enabled_by_default=enabled,
            message=message,
            fix_availability=FixAvailability(fix),
            equivalents=tuple(equivalents),
            options_used=tuple(options),
            triggers=None if triggers is None else frozenset(triggers),
            reads_context=reads,
            module=module,
            qualname=qual,
        )

    def index_row(self) -> tuple[Any, ...]:
        return (
            self.code,
            self.name,
            self.severity.name,
            self.enabled_by_default,
            self.message,
            str(self.fix_availability),
            self.equivalents,
            self.options_used,
            None if self.triggers is None else tuple(sorted(self.triggers)),
            self.reads_context,
            self.module,
            self.qualname,
        )

    def load(self) -> type[Rule]:
        """The rule class (imports its module)."""
        try:
            target: Any = importlib.import_module(self.module)
            for part in self.qualname.split("."):
                target = getattr(target, part)
        except Exception as exc:
            raise RuleLoadError(
                f"rule {self.code} ({self.module}.{self.qualname}) failed to import: {exc!r}"
            ) from exc
        if not (isinstance(target, type) and issubclass(target, Rule) and target.code == self.code):
            raise RuleLoadError(
                f"rule {self.code}: {self.module}.{self.qualname} is not that rule (stale index?)"
            )
        return target


class RuleSet:
    """The discovered rules, indexed by code, name and equivalent id.

    Entries are :class:`RuleInfo`; :meth:`instance` gives the rule object (imported and instantiated on first
    use, once per rule set). Iterating gives every rule object (which imports every rule)."""

    def __init__(self, infos: Iterable[RuleInfo], classes: Iterable[type[Rule]] = ()) -> None:
        self.infos: tuple[RuleInfo, ...] = tuple(sorted(infos, key=lambda r: r.code))
        self._classes: dict[str, type[Rule]] = {c.code: c for c in classes}
        self._instances: dict[str, Rule] = {}
        self.by_code: dict[str, RuleInfo] = {r.code: r for r in self.infos}
        self.by_name: dict[str, RuleInfo] = {r.name: r for r in self.infos}
        self.by_equivalent: dict[str, list[RuleInfo]] = {}
        for r in self.infos:
            for eq in r.equivalents:
                self.by_equivalent.setdefault(eq.upper(), []).append(r)

    @classmethod
    def from_classes(cls, classes: Iterable[type[Rule]]) -> RuleSet:
        listed = list(classes)
        return cls((RuleInfo.of(c) for c in listed), listed)

    def instance(self, code: str) -> Rule:
        """The rule object of ``code`` (its module is imported now if it was not yet)."""
        found = self._instances.get(code)
        if found is None:
            rule_class = self._classes.get(code)
            if rule_class is None:
                rule_class = self._classes[code] = self.by_code[code].load()
            found = self._instances[code] = rule_class()
        return found

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule object (imports every rule)."""
        return tuple(self.instance(r.code) for r in self.infos)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.infos)

    def get(self, code_or_name: str) -> RuleInfo | None:
        return self.by_code.get(code_or_name.upper()) or self.by_name.get(code_or_name.lower())

    def fingerprint(self) -> str:
        """Identifies the rules and their metadata (part of the lint cache key)."""
        return repr([r.index_row() for r in self.infos])

    def resolve(self, selector: str) -> list[RuleInfo] | None:
        """The rules a selector names, or None when it names nothing known.

        A selector is ``ALL``, a code (``DG001``), a code prefix (``DG1``, ``DG01``), a rule name
        (``apt-get-install-without-yes``) or another tool's id listed in a rule's ``equivalents``
        (``DL3014``, ``JSONArgsRecommended``; case-insensitive).
        """
        sel = selector.strip()
        up = sel.upper()
        if up == "ALL":
            return list(self.infos)
        if up in self.by_code:
            return [self.by_code[up]]
        if sel.lower() in self.by_name:
            return [self.by_name[sel.lower()]]
        if up in self.by_equivalent:
            return list(self.by_equivalent[up])
        if re.fullmatch(r"DG\d{1,2}", up):
            found = [r for r in self.infos if r.code.startswith(up)]
            return found or None
        return None


def _walk(package: ModuleType) -> Iterator[ModuleType]:
    import pkgutil

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
    import inspect

    found: list[type[Rule]] = []
    for mod in _walk(module):
        for _, obj in inspect.getmembers(mod, inspect.isclass):
            if issubclass(obj, Rule) and obj.__module__ == mod.__name__ and obj.code:
                found.append(obj)
    return found


def discover_rule_classes(group: str = ENTRY_POINT_GROUP) -> list[type[Rule]]:
    """Load every pack registered under ``group`` and collect its rule classes (imports every rule)."""
    from importlib.metadata import entry_points

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


#: The built-in pack, as the ``dockgen.rules`` entry point of dockgen's own distribution names it.
BUILTIN_PACK = ("builtin", "dockgen_rules")


def _declared_packs(group: str = ENTRY_POINT_GROUP) -> set[tuple[str, str]] | None:
    """``(name, value)`` of every entry point in ``group`` of the installed distributions, read straight from
    their ``entry_points.txt`` (no :mod:`importlib.metadata`, whose import alone costs more than linting a
    file). None when an install is of a kind this does not read (then :mod:`importlib.metadata` decides)."""
    found: set[tuple[str, str]] = set()
    header = f"[{group}]"
    for entry in sys.path:
        where = entry or "."
        try:
            names = os.listdir(where)
        except NotADirectoryError:
            return None  # a zip or egg on the path: importlib.metadata knows how to read it
        except OSError:
            continue
        for name in names:
            if name.endswith((".egg-link", ".egg")):
                return None
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(where, name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if header not in text:
                continue
            section = False
            for raw in text.splitlines():
                line = raw.strip()
                if line.startswith("["):
                    section = line == header
                elif section and "=" in line:
                    key, _, value = line.partition("=")
                    found.add((key.strip(), value.strip()))
    return found


#: The module a pack may ship next to its rules: ``RULES``, one :meth:`RuleInfo.index_row` per rule.
INDEX_MODULE = "_index"


def pack_index(package: str) -> tuple[RuleInfo, ...] | None:
    """The generated index a rule pack ships as ``<package>._index``, or None when it ships none.

    The pack is named by its entry point (data), not imported here: the lint engine does not depend on any
    pack, and a pack with an index has its rule modules imported one by one, when a file can trigger them."""
    try:
        module = importlib.import_module(f"{package}.{INDEX_MODULE}")
    except ModuleNotFoundError as exc:
        if exc.name in (package, f"{package}.{INDEX_MODULE}"):
            return None
        raise
    rows = getattr(module, "RULES", None)
    if not isinstance(rows, tuple):
        return None
    return tuple(RuleInfo.from_index(row) for row in rows)


def builtin_index() -> tuple[RuleInfo, ...] | None:
    """The built-in pack's generated index, or None when the pack has none."""
    return pack_index(BUILTIN_PACK[1])


@cache
def default_ruleset() -> RuleSet:
    """Every installed rule, loaded once per process.

    When every installed pack is a package that ships an index (the built-in one does), the rules come from
    the indexes and each rule module is imported when a file can trigger it; otherwise every pack is imported
    through its entry point."""
    packs = _declared_packs()
    if packs:
        indexes = [pack_index(value) if _is_module_name(value) else None for _, value in sorted(packs)]
        if all(index is not None for index in indexes):
            return RuleSet(info for index in indexes if index is not None for info in index)
    return RuleSet.from_classes(discover_rule_classes())


def _is_module_name(value: str) -> bool:
    return all(part.isidentifier() for part in value.split("."))


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
