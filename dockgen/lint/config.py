"""Lint configuration: ``[tool.dockgen]`` in ``pyproject.toml``, or ``dockgen.toml`` / ``.dockgen.toml``.

Discovery starts in the linted file's directory and walks upward; the first directory holding one of those
files wins (a ``pyproject.toml`` counts only when it has a ``[tool.dockgen]`` table), and the walk stops at a
directory containing ``.git``. Keys (all optional)::

    select = ["DG0", "DG105"]          # codes, code prefixes, names, or other tools' ids (DL3008); "ALL"
    extend-select = ["DG150"]          # added to the default set (enabled-by-default rules) or to select
    ignore = ["DG003", "DL3059"]
    failure-threshold = "warning"      # error | warning | info | style | none
    hadolint = false                   # also run the hadolint binary and merge its findings
    context = "."                      # build context for context-aware rules (relative to this file)
    allowed-registries = ["docker.io", "ghcr.io"]   # (alias: trusted-registries)
    [tool.dockgen.severity]            # per-rule severity overrides
    DG001 = "error"
    [tool.dockgen.per-path-ignores]    # glob (relative to this file's directory) -> codes
    "legacy/**" = ["DG010"]
    [tool.dockgen.required-labels]     # label -> {type, required}
    "org.opencontainers.image.version" = { type = "semver", required = true }

Unknown keys and codes that name no rule are :class:`~dockgen.errors.ConfigError` (exit 2) naming the file and
line. Rule options (``allowed-registries``, ``required-labels`` and whatever a rule lists in ``options_used``)
are passed to rules through :meth:`LintContext.option <dockgen.lint.rule.LintContext.option>`.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path, PurePosixPath

from dockgen._record import field, record, replace
from dockgen._static import TYPE_CHECKING
from dockgen.config_file import CONFIG_FILES, dockgen_table, read_text
from dockgen.errors import ConfigError
from dockgen.lint.registry import RuleInfo, RuleSet
from dockgen.lint.rule import Severity

if TYPE_CHECKING:
    from typing import Any

#: Keys understood by the lint engine itself.
ENGINE_KEYS = frozenset(
    {
        "select",
        "extend-select",
        "ignore",
        "severity",
        "failure-threshold",
        "per-path-ignores",
        "hadolint",
        "context",
    }
)
#: Rule options with validation here (rules read them through ``ctx.option``).
OPTION_KEYS = frozenset({"allowed-registries", "trusted-registries", "required-labels", "target"})
#: Sub-tables of ``[tool.dockgen]`` that belong to other dockgen commands (not checked here).
OTHER_SECTIONS = frozenset(
    {"build", "render", "tags", "push", "registry", "registries", "retention", "prune", "bake"}
)

LABEL_TYPES = frozenset({"semver", "url", "email", "rfc3339", "hash", "spdx", "text"})
THRESHOLDS = ("error", "warning", "info", "style", "none")
_FOREIGN_ID = re.compile(r"^(?:DL|SC)\d{4}$")


@record(frozen=True)
class LintConfig:
    """Resolved-at-use lint settings (selectors are checked against a :class:`RuleSet` by :meth:`check`)."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    failure_threshold: Severity | None = Severity.STYLE
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    hadolint: bool = False
    context: Path | None = None
    _resolved: dict[int, ResolvedConfig] = field(default_factory=dict, compare=False, repr=False)

    @property
    def root(self) -> Path | None:
        """Directory that relative paths in this config are relative to."""
        return self.path.parent if self.path is not None else None

    def with_overrides(
        self,
        *,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        severity: Mapping[str, Severity] | None = None,
        failure_threshold: Severity | str | None = "keep",
        hadolint: bool | None = None,
    ) -> LintConfig:
        """A copy with command-line settings on top (``select`` replaces, the others extend)."""
        return replace(
            self,
            _resolved={},
            select=tuple(select) if select is not None else self.select,
            extend_select=self.extend_select + tuple(extend_select),
            ignore=self.ignore + tuple(ignore),
            severity={**self.severity, **(severity or {})},
            failure_threshold=self.failure_threshold if failure_threshold == "keep" else failure_threshold,
            hadolint=self.hadolint if hadolint is None else hadolint,
        )

    # ---- resolution against the rules ----------------------------------------------------------------
    def check(self, ruleset: RuleSet) -> None:
        """Raise ConfigError for any selector that names no rule (foreign DL/SC ids are allowed in ignore)."""

        def verify(sel: str, key: str, allow_foreign: bool) -> None:
            if ruleset.resolve(sel) is not None:
                return
            if allow_foreign and _FOREIGN_ID.match(sel.upper()):
                return
            text = read_text(self.path) if self.path else ""  # only to locate the error
            raise ConfigError(
                f"{key}: {sel!r} names no dockgen rule",
                file=str(self.path) if self.path else "<command line>",
                line=_line_of(text, sel) if text else None,
                hint="use a code (DG001), a code prefix (DG0), a rule name or an equivalent id; see `dockgen rules`",
            )

        for sel in self.select or ():
            verify(sel, "select", True)
        for sel in self.extend_select:
            verify(sel, "extend-select", True)
        for sel in self.ignore:
            verify(sel, "ignore", True)
        for sel in self.severity:
            verify(sel, "severity", False)
        for _, codes in self.per_path_ignores:
            for sel in codes:
                verify(sel, "per-path-ignores", True)

    def resolved(self, ruleset: RuleSet) -> ResolvedConfig:
        """This config applied to ``ruleset`` (computed once per rule set)."""
        key = id(ruleset)
        if key not in self._resolved:
            self._resolved[key] = ResolvedConfig.build(self, ruleset)
        return self._resolved[key]


@record(frozen=True)
class ResolvedConfig:
    """A config applied to a rule set: the enabled rules, severities, ignored foreign ids."""

    config: LintConfig
    rules: tuple[RuleInfo, ...]
    severities: Mapping[str, Severity]
    foreign_selected: frozenset[str]
    foreign_ignored: frozenset[str]
    path_ignores: tuple[tuple[str, frozenset[str], frozenset[str]], ...]

    @staticmethod
    def build(config: LintConfig, ruleset: RuleSet) -> ResolvedConfig:
        def codes(selectors: Iterable[str]) -> tuple[set[str], set[str]]:
            found: set[str] = set()
            foreign: set[str] = set()
            for sel in selectors:
                if _FOREIGN_ID.match(sel.upper()):
                    foreign.add(sel.upper())  # also filters bridged hadolint findings
                rules = ruleset.resolve(sel)
                if rules is not None:
                    found.update(r.code for r in rules)
            return found, foreign

        if config.select is None:
            enabled = {r.code for r in ruleset.infos if r.enabled_by_default}
            foreign_sel: set[str] = set()
        else:
            enabled, foreign_sel = codes(config.select)
        extra, foreign_extra = codes(config.extend_select)
        ignored, foreign_ign = codes(config.ignore)
        enabled = (enabled | extra) - ignored
        severities: dict[str, Severity] = {}
        for sel, sev in config.severity.items():
            for r in ruleset.resolve(sel) or ():
                severities[r.code] = sev
        path_ignores = []
        for pattern, sels in config.per_path_ignores:
            c, f = codes(sels)
            path_ignores.append((pattern, frozenset(c), frozenset(f)))
        return ResolvedConfig(
            config=config,
            rules=tuple(r for r in ruleset.infos if r.code in enabled),
            severities=severities,
            foreign_selected=frozenset(foreign_sel | foreign_extra),
            foreign_ignored=frozenset(foreign_ign),
            path_ignores=tuple(path_ignores),
        )

    def ignored_for(self, path: str | None) -> tuple[frozenset[str], frozenset[str]]:
        """Codes (dockgen, foreign) that per-path-ignores switch off for ``path``."""
        if not self.path_ignores or path is None:
            return frozenset(), frozenset()
        rel = _relative(path, self.config.root)
        codes: set[str] = set()
        foreign: set[str] = set()
        for pattern, c, f in self.path_ignores:
            if _glob_match(rel, pattern):
                codes |= c
                foreign |= f
        return frozenset(codes), frozenset(foreign)

    def rules_for(self, path: str | None) -> tuple[RuleInfo, ...]:
        off, _ = self.ignored_for(path)
        if not off:
            return self.rules
        return tuple(r for r in self.rules if r.code not in off)

    @cached_property
    def _any_reads_context(self) -> bool:
        return any(r.reads_context for r in self.rules)

    def reads_context(self, path: str | None) -> bool:
        """Whether a rule enabled for ``path`` reads the build context (asked for every file of a batch)."""
        rules = self.rules_for(path)
        if rules is self.rules:
            return self._any_reads_context
        return any(r.reads_context for r in rules)

    def foreign_enabled(self, code: str, path: str | None) -> bool:
        """Whether a bridged hadolint/ShellCheck finding with ``code`` should be shown."""
        code = code.upper()
        if code in self.foreign_ignored or code in self.ignored_for(path)[1]:
            return False
        return not (
            self.config.select is not None and self.foreign_selected and code not in self.foreign_selected
        )


def _relative(path: str, root: Path | None) -> str:
    p = Path(path)
    if root is not None:
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return PurePosixPath(p.as_posix()).as_posix()


def _glob_match(rel: str, pattern: str) -> bool:
    if "/" not in pattern:
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern) or fnmatch.fnmatchcase(rel, pattern)
    pattern = pattern.removeprefix("./")
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    # "dir/**" / "**/x": let ** also match zero directories
    return "**/" in pattern and fnmatch.fnmatchcase(rel, pattern.replace("**/", ""))


# ---- loading -------------------------------------------------------------------------------------------


def _line_of(text: str, needle: str) -> int | None:
    pat = re.compile(r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])")
    for i, line in enumerate(text.splitlines(), 1):
        if pat.search(line.split("#", 1)[0] if not line.lstrip().startswith("[") else line):
            return i
    return None


def find_config(start_dir: Path) -> Path | None:
    """The config file governing files in ``start_dir`` (walking upward, stopping at a ``.git`` root)."""
    # cached by absolute path: a relative start_dir (".") means another directory after a chdir
    key = os.path.abspath(start_dir)
    if key not in _FOUND:
        found = _find_config(_realpath(key))
        _FOUND[key] = Path(found) if found is not None else None
    return _FOUND[key]


def _realpath(d: str) -> str:
    """``os.path.realpath`` of an absolute directory, reusing its parent's: sibling directories of a
    repository resolve the path above them once (realpath alone looks at every component every time)."""
    found = _REAL.get(d)
    if found is None:
        parent = os.path.dirname(d)
        if parent == d or os.path.islink(d):
            found = os.path.realpath(d)
        else:
            found = os.path.join(_realpath(parent), os.path.basename(d))
        _REAL[d] = found
    return found


_REAL: dict[str, str] = {}


_FOUND: dict[str, Path | None] = {}


#: Names of the entries of directories a walk has listed (see :func:`seen_listing`), by real path.
_LISTED: dict[str, frozenset[str]] = {}
_WATCHED = frozenset((*CONFIG_FILES, ".git"))


def seen_listing(absolute: str, real: str, dirnames: Iterable[str], filenames: Iterable[str]) -> None:
    """Tell config discovery what a directory holds, as a directory walk just listed it: its real path and
    the config files and ``.git`` in it are then known without asking the file system."""
    _REAL[absolute] = real
    _LISTED[real] = _WATCHED.intersection(dirnames).union(_WATCHED.intersection(filenames))


@cache
def _find_config(d: str) -> str | None:
    # plain strings and os calls: a repository of many Dockerfiles asks this for every directory
    listed = _LISTED.get(d)
    for name in CONFIG_FILES:
        if listed is not None and name not in listed:
            continue
        candidate = os.path.join(d, name)
        if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_dockgen(Path(candidate))):
            return candidate
    parent = os.path.dirname(d)
    if parent == d or (".git" in listed if listed is not None else os.path.exists(os.path.join(d, ".git"))):
        return None
    return _find_config(parent)  # cached per directory: sibling directories share the walk above them


def _clear_found() -> None:
    _FOUND.clear()
    _LISTED.clear()
    _find_config.cache_clear()
    _REAL.clear()


find_config.cache_clear = _clear_found  # type: ignore[attr-defined]


def _has_tool_dockgen(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "tool.dockgen" not in text and "[tool]" not in text:
        return False
    import tomllib

    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return "[tool.dockgen" in text  # report the TOML error when loading
    return isinstance(tool, dict) and isinstance(tool.get("dockgen"), dict)


def load_config(path: Path, *, extra_option_keys: Iterable[str] = ()) -> LintConfig:
    """Read and validate one config file (``pyproject.toml`` uses its ``[tool.dockgen]`` table)."""
    table, text = dockgen_table(path)
    if table is None:
        if path.name == "pyproject.toml":
            return LintConfig(path=path)
        table = {}
    return parse_config(table, path=path, text=text, extra_option_keys=extra_option_keys)


def parse_config(
    table: Mapping[str, Any],
    *,
    path: Path | None = None,
    text: str = "",
    extra_option_keys: Iterable[str] = (),
) -> LintConfig:
    """Validate a config table (already parsed TOML)."""
    where = str(path) if path else "<config>"
    option_keys = OPTION_KEYS | frozenset(extra_option_keys)

    def err(key: str, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(
            f"{key}: {message}", file=where, line=_line_of(text, key) if text else None, hint=hint
        )

    def str_list(key: str) -> tuple[str, ...]:
        value = table[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise err(key, "must be a list of strings")
        return tuple(value)

    kwargs: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, value in table.items():
        if key == "select":
            kwargs["select"] = str_list(key)
        elif key == "extend-select":
            kwargs["extend_select"] = str_list(key)
        elif key == "ignore":
            kwargs["ignore"] = str_list(key)
        elif key == "severity":
            if not isinstance(value, dict):
                raise err(key, 'must be a table of CODE = "error|warning|info|style"')
            sev: dict[str, Severity] = {}
            for code, level in value.items():
                try:
                    sev[code] = Severity.parse(str(level))
                except ValueError as exc:
                    raise err(code, str(exc)) from None
            kwargs["severity"] = sev
        elif key == "failure-threshold":
            if not isinstance(value, str) or value.lower() not in THRESHOLDS:
                raise err(key, f"must be one of {', '.join(THRESHOLDS)}, not {value!r}")
            kwargs["failure_threshold"] = None if value.lower() == "none" else Severity.parse(value)
        elif key == "per-path-ignores":
            if not isinstance(value, dict):
                raise err(key, 'must be a table of "glob" = ["CODE", ...]')
            ppi: list[tuple[str, tuple[str, ...]]] = []
            for glob, codes in value.items():
                if isinstance(codes, str):
                    codes = [codes]
                if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                    raise err(glob, "per-path-ignores values must be lists of codes")
                ppi.append((glob, tuple(codes)))
            kwargs["per_path_ignores"] = tuple(ppi)
        elif key == "hadolint":
            if not isinstance(value, bool):
                raise err(key, "must be true or false")
            kwargs["hadolint"] = value
        elif key == "context":
            if not isinstance(value, str):
                raise err(key, "must be a directory path (relative to the config file)")
            base = path.parent if path else Path.cwd()
            kwargs["context"] = (base / value).resolve()
        elif key in ("allowed-registries", "trusted-registries"):
            options["allowed-registries"] = list(str_list(key))
        elif key == "required-labels":
            options[key] = _required_labels(value, err)
        elif key in option_keys:
            options[key] = value
        elif key in OTHER_SECTIONS and isinstance(value, dict):
            continue
        else:
            known = sorted(ENGINE_KEYS | option_keys | {"trusted-registries"})
            raise err(key, "unknown configuration key", hint=f"known keys: {', '.join(known)}")
    return LintConfig(path=path, options=options, **kwargs)


def _required_labels(value: Any, err: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise err("required-labels", "must be a table of label = { type = ..., required = true }")
    out: dict[str, dict[str, Any]] = {}
    for label, spec in value.items():
        if isinstance(spec, str):
            spec = {"type": spec}
        if not isinstance(spec, dict):
            raise err(label, 'must be a table like { type = "semver", required = true }')
        unknown = set(spec) - {"type", "required"}
        if unknown:
            raise err(label, f"unknown key(s) {', '.join(sorted(unknown))} (use type, required)")
        typ = spec.get("type", "text")
        if typ not in LABEL_TYPES:
            raise err(label, f"type {typ!r} is not one of {', '.join(sorted(LABEL_TYPES))}")
        required = spec.get("required", True)
        if not isinstance(required, bool):
            raise err(label, "required must be true or false")
        out[label] = {"type": typ, "required": required}
    return out


class ConfigLoader:
    """Finds and caches the config of each linted file; ``explicit`` (``--config FILE``) wins over discovery."""

    def __init__(
        self, ruleset: RuleSet, *, explicit: Path | None = None, overrides: dict[str, Any] | None = None
    ):
        self.ruleset = ruleset
        self.overrides = overrides or {}
        self._extra_keys = {k for r in ruleset.infos for k in r.options_used}
        self._cache: dict[Path | None, LintConfig] = {}
        self.explicit = explicit
        if explicit is not None and not explicit.is_file():
            raise ConfigError("config file not found", file=str(explicit))

    def for_path(self, file: Path | None) -> LintConfig:
        if self.explicit is not None:
            cfg_path: Path | None = self.explicit
        else:
            cfg_path = find_config(file.parent if file is not None else Path.cwd())
        if cfg_path not in self._cache:
            cfg = load_config(cfg_path, extra_option_keys=self._extra_keys) if cfg_path else LintConfig()
            cfg = cfg.with_overrides(**self.overrides) if self.overrides else cfg
            cfg.check(self.ruleset)
            self._cache[cfg_path] = cfg
        return self._cache[cfg_path]
