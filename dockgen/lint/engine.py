"""The lint engine: run the discovered rules over IR, apply config and pragmas, collect per-file results.

Entry points:

* :func:`lint_dockerfile` — one parsed or lowered :class:`~dockgen.ir.Dockerfile` -> sorted, deduplicated findings;
* :func:`lint_paths` — files and directories -> :class:`LintReport` (every file reported, even when one fails);
* :meth:`Linter.lint_declared` — IR lowered from declarations -> :class:`LintReport` (``from_declaration=True``;
  :func:`dockgen.compile.lint_images` lowers and calls it).

A rule that raises does not stop the run: its exception becomes an ``INTERNAL`` finding (severity error) that
names the rule, and the report's exit code is 3 (an internal bug) once everything else has been reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from dockgen import _record
from dockgen._record import field, record
from dockgen._static import TYPE_CHECKING
from dockgen.errors import DockgenError
from dockgen.ir import Dockerfile, Span
from dockgen.lint.config import ConfigLoader, LintConfig, ResolvedConfig, seen_listing
from dockgen.lint.pragmas import Suppressions, parse_pragmas
from dockgen.lint.registry import RuleInfo, RuleSet, default_ruleset
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Rule, Severity

if TYPE_CHECKING:
    from typing import Any

    from dockgen.lint.cache import LintCache  # imported by `dockgen lint` only when the cache is on

INTERNAL_CODE = "INTERNAL"
PARSE_CODE = "PARSE"
WRITE_CODE = "WRITE"

#: File names linted when a directory is given.
_SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache"}
)


def is_dockerfile_name(name: str) -> bool:
    """``Dockerfile``, ``Containerfile``, ``*.Dockerfile``, ``*.dockerfile``, ``Dockerfile.*``, ``Containerfile.*``."""
    if name.endswith(".dockerignore"):
        return False
    low = name.lower()
    return (
        low in ("dockerfile", "containerfile")
        or low.endswith(".dockerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
    )


def find_dockerfiles(root: Path) -> list[Path]:
    """Dockerfiles under ``root`` (sorted; VCS, virtualenv and node_modules directories skipped).

    The walk's directory listings are handed to config discovery (:func:`dockgen.lint.config.seen_listing`),
    which then needs no file-system call of its own for these directories."""
    out: list[Path] = []
    top = os.fspath(root)
    absolute, real = os.path.abspath(top), os.path.realpath(top)
    for dirpath, dirnames, filenames in os.walk(top):
        # os.walk follows no symbolic link: below ``top``, a directory's real path is real + the rest
        rest = dirpath[len(top) :].lstrip(os.sep)
        seen_listing(
            os.path.join(absolute, rest) if rest else absolute,
            os.path.join(real, rest) if rest else real,
            dirnames,
            filenames,
        )
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        out.extend(Path(dirpath, f) for f in sorted(filenames) if is_dockerfile_name(f))
    return out


@record
class FileResult:
    """The outcome for one input: its findings (a parse failure is a ``PARSE`` finding) and fix counts."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    threshold: Severity | None = Severity.STYLE
    parse_error: bool = False
    fixes_applied: int = 0
    new_text: str | None = None  # set by --fix / --diff when the text changed
    old_text: str | None = None
    dockerfile: Dockerfile | None = field(default=None, repr=False)
    hadolint: bool = False  # the file's config asks for the hadolint bridge

    @property
    def failing(self) -> list[Finding]:
        if self.threshold is None:
            return [f for f in self.findings if f.code in (PARSE_CODE, INTERNAL_CODE, WRITE_CODE)]
        return [f for f in self.findings if f.severity >= self.threshold]


@record
class LintReport:
    """All results of one run plus the rule set (formatters need rule metadata)."""

    results: list[FileResult]
    ruleset: RuleSet

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def exit_code(self) -> int:
        """3 when a rule crashed, else 2 when an input could not be read, parsed or (``--fix``) written back,
        else 1 when a finding is at or above its file's failure threshold, else 0."""
        if any(f.code == INTERNAL_CODE for f in self.findings):
            return 3
        if any(r.parse_error or any(f.code == WRITE_CODE for f in r.findings) for r in self.results):
            return 2
        if any(r.failing for r in self.results):
            return 1
        return 0

    @property
    def fixable(self) -> int:
        return sum(1 for f in self.findings if f.fix is not None)


def _dedupe_sort(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        s = f.span
        key = (
            f.code,
            f.message,
            f.path,
            s.start_line if s else 0,
            s.start_col if s else 0,
            s.end_line if s else 0,
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    out.sort(key=lambda f: (f.line, f.column, f.code, f.message))
    return out


def write_error_finding(path: str, exc: DockgenError) -> Finding:
    """``lint --fix`` could not write the fixed file back (it is unchanged)."""
    return Finding(
        code=WRITE_CODE,
        name="write-error",
        message=f"not fixed: {exc.message.removeprefix(path + ': ')}"
        + (f" (hint: {exc.hint})" if exc.hint else ""),
        severity=Severity.ERROR,
        span=Span(file=path, start_line=1, end_line=1),
        path=path,
    )


def internal_finding(rule: Rule, exc: BaseException, path: str | None) -> Finding:
    return Finding(
        code=INTERNAL_CODE,
        name="internal-error",
        message=(
            f"rule {rule.code} ({rule.name}) crashed: {type(exc).__name__}: {exc} "
            "- this is a bug in the rule; please report it (other rules ran normally)"
        ),
        severity=Severity.ERROR,
        span=Span(file=path, start_line=1, end_line=1),
        path=path,
    )


def parse_error_finding(path: str, exc: DockgenError) -> Finding:
    line = getattr(exc, "line", None) or 1
    column = getattr(exc, "column", None) or 1
    reason = getattr(exc, "reason", None) or exc.message
    return Finding(
        code=PARSE_CODE,
        name="parse-error",
        message=f"cannot lint: {reason}" + (f" (hint: {exc.hint})" if exc.hint else ""),
        severity=Severity.ERROR,
        span=Span(file=path, start_line=line, end_line=line, start_col=column, end_col=column),
        path=path,
    )


_NO_RULES: tuple[InstructionRule, ...] = ()


@record(frozen=True)
class _Plan:
    """How to run a set of rules: whole-file rules, and instruction rules dispatched by keyword."""

    whole: tuple[Rule, ...]
    by_keyword: dict[str, tuple[InstructionRule, ...]]
    any_keyword: tuple[InstructionRule, ...]


_PLANS: dict[tuple[int, tuple[str, ...]], _Plan] = {}


def _plan(ruleset: RuleSet, infos: tuple[RuleInfo, ...], keywords: frozenset[str]) -> _Plan:
    """The rules to run on a file holding instructions ``keywords``: the enabled ones (``infos``) that the file
    can trigger, imported on first use. Grouped once per rule tuple: an InstructionRule that keeps the stock
    ``check`` is called per matching instruction by one loop over the file instead of each rule walking the file
    itself."""
    codes = tuple(i.code for i in infos if i.triggers is None or not i.triggers.isdisjoint(keywords))
    key = (id(ruleset), codes)
    plan = _PLANS.get(key)
    if plan is not None:
        return plan
    rules = [ruleset.instance(code) for code in codes]
    whole: list[Rule] = []
    by_kw: dict[str, list[InstructionRule]] = {}
    anykw: list[InstructionRule] = []
    for rule in rules:
        if isinstance(rule, InstructionRule) and type(rule).check is InstructionRule.check:
            if rule.keywords:
                for kw in rule.keywords:
                    by_kw.setdefault(kw, []).append(rule)
            else:
                anykw.append(rule)
        else:
            whole.append(rule)
    plan = _Plan(tuple(whole), {k: tuple(v) for k, v in by_kw.items()}, tuple(anykw))
    _PLANS[key] = plan
    return plan


def run_rules(
    df: Dockerfile,
    resolved: ResolvedConfig,
    ruleset: RuleSet,
    *,
    path: str | None = None,
    context_dir: Path | None = None,
    from_declaration: bool = False,
    context_given: bool | None = None,
) -> list[Finding]:
    """The core loop: every enabled rule over ``df``; severities, pragmas, dedupe, sort.

    ``context_given`` (default: whether ``context_dir`` is set) tells rules the context is the real one."""
    sup: Suppressions = parse_pragmas(df, ruleset)
    options: dict[str, Any] = dict(resolved.config.options)
    options["_ruleset"] = ruleset
    options["_suppressions"] = sup
    ctx = LintContext(
        dockerfile=df,
        options=options,
        context_dir=context_dir,
        from_declaration=from_declaration,
        context_given=context_dir is not None if context_given is None else context_given,
    )
    where = path if path is not None else df.path
    raw: list[Finding] = []
    keywords = frozenset(i.keyword for i in df.instructions) | frozenset(
        i.sub.keyword for i in df.instructions if i.sub is not None
    )
    plan = _plan(ruleset, resolved.rules_for(where), keywords)
    for rule in plan.whole:
        try:
            raw.extend(rule.check(ctx))
        except Exception as exc:
            raw.append(internal_finding(rule, exc, where))
    if plan.by_keyword or plan.any_keyword:
        crashed: set[str] = set()
        for ins in df.instructions:
            target, onbuild = ins, False
            if ins.keyword == "ONBUILD" and ins.sub is not None:
                target, onbuild = ins.sub, True
            for rule in plan.by_keyword.get(target.keyword, _NO_RULES) + plan.any_keyword:
                if (onbuild and not rule.include_onbuild) or rule.code in crashed:
                    continue
                try:
                    raw.extend(rule.check_instruction(target, ctx))
                except Exception as exc:
                    crashed.add(rule.code)
                    raw.append(internal_finding(rule, exc, where))
    severities = resolved.severities
    out: list[Finding] = []
    for f in raw:
        if f.code != INTERNAL_CODE and sup.suppressed(f):
            continue
        sev = severities.get(f.code)
        if f.code in sup.escalate:
            sev = Severity.ERROR
        if (sev is not None and sev != f.severity) or f.path != where:
            f = _record.replace(f, severity=sev if sev is not None else f.severity, path=where)
        out.append(f)
    return _dedupe_sort(out)


def lint_dockerfile(
    df: Dockerfile,
    config: LintConfig | None = None,
    context_dir: Path | None = None,
    *,
    from_declaration: bool = False,
    ruleset: RuleSet | None = None,
) -> list[Finding]:
    """Lint one IR Dockerfile with ``config`` (default: all enabled-by-default rules, no options)."""
    rs = ruleset or default_ruleset()
    cfg = config or LintConfig()
    return run_rules(
        df, cfg.resolved(rs), rs, path=df.path, context_dir=context_dir, from_declaration=from_declaration
    )


class Linter:
    """Lints many inputs with one rule set; finds (and caches) each file's config.

    ``config`` fixes the configuration for every input; otherwise ``config_file`` (``--config``) or discovery
    from each file's directory is used, with ``overrides`` (command-line settings) on top.
    """

    def __init__(
        self,
        ruleset: RuleSet | None = None,
        *,
        config: LintConfig | None = None,
        config_file: Path | None = None,
        overrides: dict[str, Any] | None = None,
        context_dir: Path | None = None,
        cache: LintCache | None = None,
        jobs: int | None = None,
    ) -> None:
        self.ruleset = ruleset or default_ruleset()
        self._fixed = config
        if config is not None:
            config.check(self.ruleset)
        self.loader = ConfigLoader(self.ruleset, explicit=config_file, overrides=overrides)
        self.context_dir = context_dir
        #: Results of unchanged files come from here (``dockgen lint`` uses one unless ``--no-cache``).
        self.cache = cache
        #: Worker processes for a batch (None: as many as CPUs when the batch is large enough; 1: none).
        self.jobs = jobs
        self._config_keys: dict[int, str] = {}
        self._config_by_dir: dict[str, LintConfig] = {}

    def config_for(self, path: Path | None) -> LintConfig:
        if self._fixed is not None:
            return self._fixed
        if path is None or self.loader.explicit is not None:
            return self.loader.for_path(path)
        where = os.path.dirname(path)  # a string key: hashing a Path is several times slower
        found = self._config_by_dir.get(where)
        if found is None:
            found = self._config_by_dir[where] = self.loader.for_path(path)
        return found

    def context_for(self, path: Path | None, config: LintConfig) -> Path | None:
        if self.context_dir is not None:
            return self.context_dir
        if config.context is not None:
            return config.context
        return path.parent if path is not None else None

    def lint_df(self, df: Dockerfile, path: Path | None, *, from_declaration: bool = False) -> list[Finding]:
        cfg = self.config_for(path)
        return run_rules(
            df,
            cfg.resolved(self.ruleset),
            self.ruleset,
            path=df.path,
            context_dir=self.context_for(path, cfg),
            from_declaration=from_declaration,
            context_given=self.context_dir is not None or cfg.context is not None,
        )

    def lint_text(self, text: str, path: str, *, config_path: Path | None = None) -> FileResult:
        """Lint Dockerfile text shown as ``path`` (``config_path``: where to look for config, default ``path``)."""
        from dockgen.parse import parse_text

        where = config_path or Path(path)
        cfg = self.config_for(where)
        result = FileResult(path=path, threshold=cfg.failure_threshold, hadolint=cfg.hadolint)
        try:
            df = parse_text(text, path)
        except DockgenError as exc:
            result.parse_error = True
            result.findings = [parse_error_finding(path, exc)]
            return result
        result.dockerfile = df
        result.findings = self.lint_df(df, where)
        return result

    def fix_text(
        self, text: str, path: str, *, config_path: Path | None = None, unsafe: bool = False
    ) -> FileResult:
        """Fix ``text`` to a fixpoint, then lint the result; ``new_text`` is set when something changed."""
        from dockgen.lint.fix import fix_text

        where = config_path or Path(path)
        try:
            fixed = fix_text(text, path, lambda df: self.lint_df(df, where), unsafe=unsafe)
        except DockgenError:
            return self.lint_text(text, path, config_path=config_path)  # unparseable: report it
        result = self.lint_text(fixed.text, path, config_path=config_path)
        result.old_text = text
        result.fixes_applied = len(fixed.applied)
        if fixed.text != text:
            result.new_text = fixed.text
        if fixed.broken:
            result.findings.insert(
                0,
                Finding(
                    code=INTERNAL_CODE,
                    name="internal-error",
                    message=fixed.broken + " - this is a bug in the rule's fix; please report it",
                    severity=Severity.ERROR,
                    span=Span(file=path, start_line=1, end_line=1),
                    path=path,
                ),
            )
        return result

    def fix_file(self, path: Path, *, unsafe: bool = False, write: bool = True) -> FileResult:
        """Fix a file in place (``write``) keeping every untouched byte, BOM included."""
        try:
            data = path.read_bytes()
            text = self.read(path)
        except (DockgenError, OSError):
            return self.lint_file(path)
        result = self.fix_text(text, str(path), unsafe=unsafe)
        if write and result.new_text is not None:
            from dockgen.safe_write import FileWriteError, replace_file

            bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
            try:  # temp file + rename: never half-written; refused when the file changed since it was read
                replace_file(path, bom + result.new_text.encode("utf-8", "surrogateescape"), expected=data)
            except FileWriteError as exc:
                result.new_text = None
                result.fixes_applied = 0
                result.findings.insert(0, write_error_finding(str(path), exc))
        return result

    def add_hadolint(self, report: LintReport, *, stdin_text: str | None = None, force: bool = False) -> None:
        """Run the hadolint bridge on the files whose config enables it (all files with ``force``)."""
        from dockgen.lint.hadolint import run_hadolint
        from dockgen.lint.pragmas import parse_pragmas
        from dockgen.parse import parse_text

        targets = [r for r in report.results if not r.parse_error and (r.hadolint or force)]
        if not targets:
            return
        if stdin_text is not None:
            found = run_hadolint(["-"], stdin_text=stdin_text)
            by_file = {targets[0].path: found.get("-", [])}
        else:
            by_file = run_hadolint([r.path for r in targets])
        for r in targets:
            where = Path(r.path)
            resolved = self.config_for(where).resolved(self.ruleset)
            enabled = {eq.upper() for rule in resolved.rules_for(r.path) for eq in rule.equivalents}
            df = r.dockerfile
            if df is None and stdin_text is None:
                try:
                    df = parse_text(self.read(where), r.path)
                except (DockgenError, OSError):
                    df = None
            sup = parse_pragmas(df, self.ruleset) if df is not None else None
            extra = []
            for f in by_file.get(r.path, []):
                f = _record.replace(f, path=r.path)
                if f.code.upper() in enabled or not resolved.foreign_enabled(f.code, r.path):
                    continue
                if sup is not None and sup.suppressed(f):
                    continue
                extra.append(f)
            if extra:
                r.findings = _dedupe_sort(r.findings + extra)

    def read(self, path: Path) -> str:
        from dockgen.parse import decode

        return decode(path.read_bytes(), str(path))

    def lint_file(
        self, path: Path, *, fix: bool = False, unsafe: bool = False, write: bool = True
    ) -> FileResult:
        if fix:
            return self.fix_file(path, unsafe=unsafe, write=write)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return self._unreadable(path, exc)
        cfg = self.config_for(path)
        key = self.cache_key(path, data, cfg)
        if key is not None:
            cached = self.cached(path, key, cfg)
            if cached is not None:
                return cached
        result = self.lint_bytes(path, data)
        self.remember(key, result)
        return result

    @staticmethod
    def _unreadable(path: Path, exc: OSError) -> FileResult:
        err = DockgenError(f"cannot read: {exc.strerror or exc}")
        return FileResult(path=str(path), findings=[parse_error_finding(str(path), err)], parse_error=True)

    def lint_bytes(self, path: Path, data: bytes) -> FileResult:
        """Lint the content ``data`` of the file ``path``."""
        from dockgen.parse import decode

        try:
            text = decode(data, str(path))
        except DockgenError as exc:
            return FileResult(
                path=str(path), findings=[parse_error_finding(str(path), exc)], parse_error=True
            )
        return self.lint_text(text, str(path))

    # ---- the cache ---------------------------------------------------------------------------------------

    def _config_key(self, cfg: LintConfig, context: Path | None) -> str:
        found = self._config_keys.get(id(cfg))
        if found is None:
            found = self._config_keys[id(cfg)] = repr((cfg, os.getcwd()))
        return f"{found}\0{context}"

    def cache_key(self, path: Path, data: bytes, cfg: LintConfig) -> str | None:
        """The cache key of ``path`` holding ``data`` under its config ``cfg`` (None: no cache, or a context
        too big to track)."""
        if self.cache is None:
            return None
        context = self.context_for(path, cfg)
        fingerprint: str | None = ""
        if context is not None and cfg.resolved(self.ruleset).reads_context(str(path)):
            fingerprint = self.cache.context(context)
            if fingerprint is None:
                return None
            own = Path(str(path) + ".dockerignore")
            try:
                st = own.stat()
                fingerprint += f"\0{st.st_size}\0{st.st_mtime_ns}"
            except OSError:
                pass
        return self.cache.key(str(path), data, self._config_key(cfg, context), fingerprint)

    def cached(self, path: Path, key: str, cfg: LintConfig) -> FileResult | None:
        assert self.cache is not None
        hit = self.cache.get(key, str(path))
        if hit is None:
            return None
        parse_error, findings = hit
        return FileResult(
            path=str(path),
            findings=findings,
            threshold=cfg.failure_threshold,
            parse_error=parse_error,
            hadolint=cfg.hadolint,
        )

    def remember(self, key: str | None, result: FileResult) -> None:
        if key is None or self.cache is None or any(f.code == INTERNAL_CODE for f in result.findings):
            return
        self.cache.put(key, result.parse_error, result.findings, result.path)

    def expand(self, paths: Iterable[Path]) -> list[Path]:
        out: list[Path] = []
        for p in paths:
            if p.is_dir():
                out.extend(find_dockerfiles(p))
            else:
                out.append(p)
        return out

    def lint_paths(
        self, paths: Iterable[Path], *, fix: bool = False, unsafe: bool = False, write: bool = True
    ) -> LintReport:
        """Lint (or fix) files and directories, one result per file, in order.

        Unchanged files come from the cache; a batch of files to lint large enough to pay for process start-up
        is spread over worker processes (see :mod:`dockgen.lint.parallel`)."""
        files = self.expand(paths)
        if fix:
            return LintReport(
                [self.lint_file(p, fix=True, unsafe=unsafe, write=write) for p in files], self.ruleset
            )
        results: list[FileResult | None] = [None] * len(files)
        todo: list[tuple[int, Path, bytes, str | None]] = []
        for i, path in enumerate(files):
            try:
                data = path.read_bytes()
            except OSError as exc:
                results[i] = self._unreadable(path, exc)
                continue
            cfg = self.config_for(path)
            key = self.cache_key(path, data, cfg)
            hit = self.cached(path, key, cfg) if key is not None else None
            if hit is not None:
                results[i] = hit
            else:
                todo.append((i, path, data, key))
        for (i, _, _, key), result in zip(
            todo, self._lint_batch([(p, d) for _, p, d, _ in todo]), strict=True
        ):
            results[i] = result
            self.remember(key, result)
        if self.cache is not None:
            self.cache.save()
        return LintReport([r for r in results if r is not None], self.ruleset)

    def _lint_batch(self, batch: Sequence[tuple[Path, bytes]]) -> list[FileResult]:
        """Lint ``(path, content)`` pairs, in order: in this process, or in forked workers when the batch is
        large enough (:mod:`dockgen.lint.parallel`)."""
        from dockgen.lint.parallel import lint_in_workers, worker_count

        jobs = worker_count(self.jobs, len(batch))
        if jobs < 2:
            return [self.lint_bytes(path, data) for path, data in batch]
        self._preload(batch)
        outcomes = lint_in_workers(self._lint_compact, batch, jobs)
        return [self._from_compact(path, outcome) for (path, _), outcome in zip(batch, outcomes, strict=True)]

    def _preload(self, batch: Sequence[tuple[Path, bytes]]) -> None:
        """Import the rules enabled for the batch's configs once, before forking (the workers share them)."""
        seen: set[int] = set()
        for path, _ in batch:
            cfg = self.config_for(path)
            if id(cfg) in seen:
                continue
            seen.add(id(cfg))
            for info in cfg.resolved(self.ruleset).rules:
                self.ruleset.instance(info.code)
        import dockgen.parse  # noqa: F401  (the parser, before forking)

    def _lint_compact(self, path: Path, data: bytes) -> tuple[bool, list[Any]]:
        """A worker's answer for one file: parse failure and findings in the cache's compact form."""
        from dockgen.lint.cache import finding_to_json

        result = self.lint_bytes(path, data)
        return result.parse_error, [finding_to_json(f, result.path) for f in result.findings]

    def _from_compact(self, path: Path, outcome: tuple[bool, list[Any]]) -> FileResult:
        from dockgen.lint.cache import finding_from_json

        parse_error, findings = outcome
        cfg = self.config_for(path)
        return FileResult(
            path=str(path),
            findings=[finding_from_json(f, str(path)) for f in findings],
            threshold=cfg.failure_threshold,
            parse_error=parse_error,
            hadolint=cfg.hadolint,
        )

    def lint_declared(
        self,
        dockerfiles: Sequence[tuple[str, str, Dockerfile]],
        *,
        build_file: Path | None = None,
    ) -> LintReport:
        """Lint Dockerfiles made from declarations: ``(image name, its context directory, IR)`` triples
        (``from_declaration`` is True). Lowering and the render-time fixes are the caller's: see
        :func:`dockgen.compile.lint_images`, which lints what ``dockgen render`` writes."""
        results: list[FileResult] = []
        where = build_file or Path.cwd() / "build_images.py"
        cfg = self.config_for(where)
        for name, context, df in dockerfiles:
            shown = df.path or f"{where.name}#{name}"
            if df.path is None:
                df = _record.replace(df, path=shown)
            findings = run_rules(
                df,
                cfg.resolved(self.ruleset),
                self.ruleset,
                path=shown,
                context_dir=self.context_dir or where.parent / context,
                from_declaration=True,
            )
            findings = [_at_declaration(f, name) for f in findings]
            results.append(FileResult(path=shown, findings=findings, threshold=cfg.failure_threshold))
        return LintReport(results, self.ruleset)


def _at_declaration(finding: Finding, image: str) -> Finding:
    """A finding on a declared image, located in the build file at the line of the step it comes from, so
    that every output format (GitHub annotations, SARIF, GitLab) can point at it; the message names the
    image (a stage shared by several images gives a finding per image)."""
    span = finding.span
    if span is None or span.file is None or span.start >= 0:  # not a declared step (raw text has offsets)
        return finding
    try:
        shown = os.path.relpath(span.file)
    except ValueError:  # another drive (Windows)
        shown = span.file
    return _record.replace(finding, path=shown, message=f"{finding.message} (image {image})")


def lint_paths(
    paths: Iterable[str | Path],
    config: LintConfig | None = None,
    *,
    ruleset: RuleSet | None = None,
    context_dir: Path | None = None,
) -> LintReport:
    """Lint files and directories (config discovered per file unless ``config`` is given)."""
    linter = Linter(ruleset, config=config, context_dir=context_dir)
    return linter.lint_paths(Path(p) for p in paths)
