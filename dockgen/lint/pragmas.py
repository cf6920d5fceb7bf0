"""Inline suppressions: dockgen pragmas, hadolint's ignore comments and BuildKit's ``# check=`` directive.

================================================  ==========================================================
``# dockgen: ignore=DG001,DG002``                 the next instruction (comment lines directly above it)
``# dockgen: stage-ignore=DG001``                 from the comment to the end of its stage
``# dockgen: file-ignore=DG001`` (``global-ignore``) the whole file
``# hadolint ignore=DL3008,DL3009``               the next instruction, for the dockgen rules with those
                                                  equivalents (and bridged hadolint findings)
``# hadolint global ignore=DL3008``               the whole file, likewise
``# check=skip=JSONArgsRecommended,...``          parser directive: the whole file, via BuildKit equivalents;
                                                  ``skip=all`` silences every rule with a BuildKit equivalent;
                                                  ``error=true`` raises those rules' findings to ``error``
================================================  ==========================================================

A code in a pragma may be a code, a code prefix, a rule name, ``all``, or another tool's id listed in a rule's
``equivalents``. ``# dockgen: ignore`` without codes silences every rule. Codes that name nothing are
collected in :attr:`Suppressions.unknown`; rule DG000 reports them.
"""

from __future__ import annotations

import re

from dockgen._record import field, record
from dockgen.ir import Comment, Dockerfile, Span
from dockgen.lint.registry import RuleSet, equivalent_tool
from dockgen.lint.rule import Finding

ALL = "*"
_DOCKGEN_RE = re.compile(
    r"^\s*dockgen\s*:\s*(?P<kind>ignore|stage-ignore|file-ignore|global-ignore)\b\s*(?:=\s*(?P<codes>.*))?$",
    re.I,
)
_HADOLINT_RE = re.compile(r"^\s*hadolint\s+(?P<glob>global\s+)?ignore\s*=\s*(?P<codes>.*)$", re.I)
_TOKEN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_FOREIGN_RE = re.compile(r"^(?:DL|SC)\d{4}$", re.I)


@record(frozen=True)
class UnknownCode:
    """A code in a dockgen pragma that names no rule."""

    code: str
    pragma: str
    span: Span | None


@record
class Suppressions:
    """What the pragmas of one file switch off."""

    file_codes: set[str] = field(default_factory=set)
    ranges: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)
    escalate: set[str] = field(default_factory=set)
    unknown: list[UnknownCode] = field(default_factory=list)

    def suppressed(self, finding: Finding) -> bool:
        code = finding.code
        if ALL in self.file_codes or code in self.file_codes:
            return True
        if not self.ranges:
            return False
        line = finding.span.start_line if finding.span is not None else None
        if line is None:
            return False
        return any(a <= line <= b and (ALL in codes or code in codes) for a, b, codes in self.ranges)


def _tokens(text: str | None) -> list[str]:
    out: list[str] = []
    for tok in re.split(r"[,\s]+", (text or "").strip()):
        if not tok:
            continue
        if not _TOKEN_RE.match(tok):
            break  # the rest is a free-text reason
        out.append(tok)
    return out


def _resolve(
    tokens: list[str], ruleset: RuleSet, pragma: str, span: Span | None, unknown: list[UnknownCode] | None
) -> frozenset[str]:
    codes: set[str] = set()
    for tok in tokens:
        if tok.lower() == "all":
            codes.add(ALL)
            continue
        rules = ruleset.resolve(tok)
        if rules is not None:
            codes.update(r.code for r in rules)
        if _FOREIGN_RE.match(tok):
            codes.add(tok.upper())  # also silences bridged hadolint / ShellCheck findings
        elif rules is None and unknown is not None:
            unknown.append(UnknownCode(tok, pragma, span))
    return frozenset(codes)


def parse_pragmas(df: Dockerfile, ruleset: RuleSet) -> Suppressions:
    """Collect the suppressions of ``df``."""
    sup = Suppressions()
    instructions = df.instructions
    seen: set[tuple[str, int, int]] = set()

    def key(c: Comment) -> tuple[str, int, int]:
        return (c.text, c.span.start_line if c.span else -1, c.span.start if c.span else -1)

    # next-instruction pragmas: the comment lines attached to an instruction
    for ins in instructions:
        for c in ins.comments:
            seen.add(key(c))
            _apply(
                c, sup, ruleset, df, next_lines=(ins.span.start_line, ins.span.end_line) if ins.span else None
            )
    for c in df.comments:
        if key(c) not in seen:
            _apply(c, sup, ruleset, df, next_lines=None)
    _check_directive(df, sup, ruleset)
    return sup


def _apply(
    c: Comment, sup: Suppressions, ruleset: RuleSet, df: Dockerfile, next_lines: tuple[int, int] | None
) -> None:
    text = c.text
    if "dockgen" not in text.lower() and "hadolint" not in text.lower():
        return
    m = _DOCKGEN_RE.match(text)
    if m:
        kind = m.group("kind").lower()
        toks = _tokens(m.group("codes"))
        codes = _resolve(toks, ruleset, f"dockgen: {kind}", c.span, sup.unknown) if toks else frozenset({ALL})
        if kind in ("file-ignore", "global-ignore"):
            sup.file_codes |= codes
        elif kind == "stage-ignore":
            if c.span is None:
                return
            sup.ranges.append((c.span.start_line, _stage_end(df, c.span.start_line), codes))
        elif next_lines is not None:
            sup.ranges.append((next_lines[0], next_lines[1], codes))
        return
    m = _HADOLINT_RE.match(text)
    if m:
        codes = _resolve(_tokens(m.group("codes")), ruleset, "hadolint ignore", c.span, None)
        if m.group("glob"):
            sup.file_codes |= codes
        elif next_lines is not None:
            sup.ranges.append((next_lines[0], next_lines[1], codes))


def _stage_end(df: Dockerfile, line: int) -> int:
    """Last line of the stage a comment at ``line`` belongs to (a comment right above FROM opens that stage)."""
    after = [i for i in df.instructions if i.span is not None and i.span.start_line > line]
    if not after:
        return 1 << 30
    rest = after[1:] if after[0].keyword == "FROM" else after
    for ins in rest:
        if ins.keyword == "FROM" and ins.span is not None:
            return ins.span.start_line - 1
    return 1 << 30


def _check_directive(df: Dockerfile, sup: Suppressions, ruleset: RuleSet) -> None:
    value = df.directive("check")
    if value is None:
        return
    buildkit = {
        eq: rules
        for eq, rules in ruleset.by_equivalent.items()
        if any(equivalent_tool(e) == "buildkit" for r in rules for e in r.equivalents if e.upper() == eq)
    }
    buildkit_codes = {r.code for rules in buildkit.values() for r in rules}
    for part in value.split(";"):
        k, _, v = part.partition("=")
        k = k.strip().lower()
        if k == "skip":
            for name in (t.strip() for t in v.split(",")):
                if not name:
                    continue
                if name.lower() == "all":
                    sup.file_codes |= buildkit_codes
                else:
                    sup.file_codes |= {r.code for r in buildkit.get(name.upper(), [])}
        elif k == "error" and v.strip().lower() == "true":
            sup.escalate |= buildkit_codes
