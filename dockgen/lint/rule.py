"""The rule interface: what a rule is, what it yields, and how a fix is expressed.

A rule sees only the IR (:mod:`dockgen.ir`) through a :class:`LintContext` — never raw text and never pydantic
declarations — so it works identically on hand-written Dockerfiles and on rendered declarations.

Two tiers, as in hadolint:

* :class:`InstructionRule` — a predicate over single instructions (``keywords`` narrows which ones).
* :class:`Rule` — override :meth:`Rule.check` for a stateful pass over the whole file; whatever needs the end
  of the file simply runs after the loop.

A fix is IR-level: it replaces a contiguous run of instructions (possibly empty, i.e. an insertion) with new
instructions. For declarations the fixed IR is rendered; for raw files the fixer rewrites only the replaced
instructions' spans, leaving every other byte untouched.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from dockgen._record import field, record
from dockgen._static import TYPE_CHECKING
from dockgen.ir import Dockerfile, IRInstruction, IRStage, Span

if TYPE_CHECKING:
    from typing import Any, ClassVar


class FixAvailability(enum.StrEnum):
    """Whether a rule's findings come with a fix. Whether a given fix is safe is a property of that
    :class:`Fix` (``Fix.safe``), decided where the fix is built."""

    ALWAYS = "always"  # every finding carries a fix
    SOMETIMES = "sometimes"  # some findings carry a fix (others cannot be fixed automatically)
    NEVER = "never"  # no finding carries a fix


class Severity(enum.IntEnum):
    """Finding severities, ordered so that ``>=`` compares with a failure threshold."""

    STYLE = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (use one of: {names})") from None

    def __str__(self) -> str:
        return self.name.lower()


@record(frozen=True)
class Replace:
    """Replace ``targets`` (contiguous instructions of the file, by identity) with ``replacement``.

    With empty ``targets`` the replacement is inserted after ``after`` (or before ``before``). ``text``, when
    set, is the exact source text that replaces the targets' span in the file the rule saw (a rule that can
    keep the file's own layout, comments and indentation gives it); the IR ``replacement`` is used otherwise.
    """

    targets: tuple[IRInstruction, ...]
    replacement: tuple[IRInstruction, ...]
    after: IRInstruction | None = None
    before: IRInstruction | None = None
    text: str | None = None


@record(frozen=True)
class Fix:
    """An automatic fix. ``safe`` fixes never change what the image does; unsafe ones might."""

    description: str
    edits: tuple[Replace, ...]
    safe: bool = True


def command_fix(description: str, ins: IRInstruction, text: str, *, safe: bool = True) -> Fix:
    """A fix that replaces the command text of the shell-form RUN ``ins`` with ``text``."""
    from dockgen.lint.edits import with_command

    return Fix(description, (Replace(targets=(ins,), replacement=(with_command(ins, text),)),), safe=safe)


@record(frozen=True)
class Finding:
    """One problem found by a rule at a place in a file."""

    code: str
    name: str
    message: str
    severity: Severity
    span: Span | None
    path: str | None = None
    fix: Fix | None = None
    source: str = "dockgen"  # or "hadolint" for bridged findings

    @property
    def line(self) -> int:
        return self.span.start_line if self.span else 1

    @property
    def column(self) -> int:
        return self.span.start_col if self.span else 1


@record
class LintContext:
    """What a rule may look at: the IR, the options, and (optionally) the build context directory."""

    dockerfile: Dockerfile
    options: Mapping[str, Any] = field(default_factory=dict)
    context_dir: Path | None = None
    #: True when the IR came from declarations (rules may skip raw-text-only concerns).
    from_declaration: bool = False
    #: True when ``context_dir`` was given (``--context``, the ``context`` setting, a declared image's
    #: context) rather than guessed as the Dockerfile's directory; rules that need the real context's files
    #: (a missing COPY source) only trust a given one.
    context_given: bool = False

    @property
    def stages(self) -> tuple[IRStage, ...]:
        return self.dockerfile.stages

    @property
    def final_stage(self) -> IRStage | None:
        """The stage the build produces: the ``target`` option's stage, else the last one."""
        target = self.options.get("target")
        if isinstance(target, str):
            found = self.dockerfile.stage_by_ref(target)
            if found is not None:
                return found
        return self.dockerfile.stages[-1] if self.dockerfile.stages else None

    def ships(self, ins: IRInstruction) -> bool:
        """True when the layer of ``ins`` ends up in the image built from :attr:`final_stage`."""
        from dockgen.stages import ships

        final = self.final_stage
        return ships(self.dockerfile, ins, final.index if final else None)

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


class Rule:
    """Base class of every rule.

    Class attributes:

    * ``code`` — ``DGnnn``, unique, never reused.
    * ``name`` — kebab-case name of the flagged pattern (``apt-get-install-without-yes``), not of the fix.
    * ``severity`` — default severity; ``enabled_by_default = False`` for opt-in rules.
    * ``message`` — short default message (a rule may format a more specific one per finding).
    * ``fix_availability`` — :class:`FixAvailability`: whether findings come with a fix (always, sometimes,
      never). Each :class:`Fix` says itself whether it is safe.
    * ``equivalents`` — ids of the same check in other tools (``DL3014``, ``JSONArgsRecommended``,
      ``DS-0021``, ``CKV_DOCKER_9``). Their ignore pragmas (``# hadolint ignore=DL3014``,
      ``# check=skip=JSONArgsRecommended``) silence this rule.
    * the class docstring holds the docs in fixed sections: ``## What it does``, ``## Why is this bad?``,
      ``## Example`` (a fenced ``dockerfile`` block that must trigger the rule), ``## Use instead`` (must not
      trigger; and equals the fixed example when the rule has a fix), ``## References``.
    * ``example_options`` — config options the documentation examples assume (they run as tests).
    * ``example_context`` — files of a build context (``{"path": "content"}``, a trailing ``/`` makes a
      directory) the documentation examples are linted with.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING
    enabled_by_default: ClassVar[bool] = True
    message: ClassVar[str] = ""
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NEVER
    equivalents: ClassVar[tuple[str, ...]] = ()
    #: Option keys this rule reads from config (documented in its docs).
    options_used: ClassVar[tuple[str, ...]] = ()
    #: Config options the documentation examples are linted with.
    example_options: ClassVar[Mapping[str, Any]] = {}
    #: Build-context files the documentation examples are linted with (``{"path": "content"}``).
    example_context: ClassVar[Mapping[str, str]] = {}
    #: Instruction keywords one of which a file must contain for this rule to find anything (None: any file).
    #: Files without them do not import the rule. InstructionRules derive it from ``keywords``.
    triggers: ClassVar[frozenset[str] | None] = None
    #: True when the rule reads files of the build context (``ctx.context_dir``), not just the Dockerfile.
    #: The lint cache then also keys the file's result on the context's files.
    reads_context: ClassVar[bool] = False

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        ins: IRInstruction | None,
        message: str | None = None,
        *,
        fix: Fix | None = None,
        span: Span | None = None,
    ) -> Finding:
        """Build a finding for ``ins`` (or an explicit span) with this rule's code and severity."""
        return Finding(
            code=self.code,
            name=self.name,
            message=message or self.message,
            severity=self.severity,
            span=span if span is not None else (ins.span if ins is not None else None),
            fix=fix,
        )


class InstructionRule(Rule):
    """A rule that looks at one instruction at a time. Set ``keywords`` to the instructions it cares about."""

    keywords: ClassVar[frozenset[str]] = frozenset()
    #: Also look inside ONBUILD triggers.
    include_onbuild: ClassVar[bool] = False

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.dockerfile.instructions:
            target = ins
            if ins.keyword == "ONBUILD" and ins.sub is not None:
                if not self.include_onbuild:
                    continue
                target = ins.sub
            if not self.keywords or target.keyword in self.keywords:
                yield from self.check_instruction(target, ctx)

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        raise NotImplementedError
