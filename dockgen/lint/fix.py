"""Autofix: apply rules' IR-level fixes to the IR (declarations) or as minimal text edits (raw Dockerfiles).

Both paths go through the one loop :func:`fixpoint` (lint, choose, apply; at most :data:`MAX_ROUNDS` rounds),
because one fix can enable another. In a round, fixes are taken in finding order; a fix touching an instruction
that an earlier fix of the same round already touches is deferred to the next round. The linter is passed in
(a callable from a Dockerfile to its findings), so this module does not depend on the lint engine; the
orchestration (which rules, which config) lives in :mod:`dockgen.compile` and :mod:`dockgen.lint.engine`.

Raw text: only the replaced instructions' source spans change. For a one-for-one replacement whose rendering
differs from the old one's by a few words, the word edits are mapped back onto the original text through an
offset map of the logical line (line continuations and comment lines inside them removed), so the user's line
layout, spacing and casing survive; otherwise the new instruction's rendering replaces the old span. Comments,
blank lines and all other bytes stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from dockgen import _record
from dockgen._record import field, record
from dockgen.errors import DockgenError
from dockgen.ir import Dockerfile, IRInstruction
from dockgen.lint.edits import logical_map
from dockgen.lint.rule import Finding, Fix, Replace
from dockgen.parse import parse_text
from dockgen.render import render_instruction

MAX_ROUNDS = 10

#: A linter: one Dockerfile -> its findings (with their fixes).
Lint = Callable[[Dockerfile], Sequence[Finding]]


# ---- rendering -------------------------------------------------------------------------------------------


def render(ins: IRInstruction, escape: str = "\\") -> str:
    """One instruction as Dockerfile text (no comments), its keyword in the casing written in ``original``."""
    text = render_instruction(_record.replace(ins, comments=()), escape=escape).rstrip("\n")
    recased = ins.original and ins.original != ins.keyword and ins.original.upper() == ins.keyword
    if recased and text.startswith(ins.keyword):
        text = ins.original + text[len(ins.keyword) :]
    return text


# ---- choosing the fixes of one round -----------------------------------------------------------------------


def fix_allowed(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and bool(fix.edits) and (fix.safe or unsafe)


def _top_index(df: Dockerfile) -> dict[int, int]:
    """id(instruction) -> index of the top-level instruction holding it (ONBUILD/HEALTHCHECK subs included)."""
    index: dict[int, int] = {}
    for i, ins in enumerate(df.instructions):
        index[id(ins)] = i
        if ins.sub is not None:
            index[id(ins.sub)] = i
    return index


def _touched(rep: Replace, index: dict[int, int]) -> set[int] | None:
    """Top-level instruction indices an edit touches (None when it refers to instructions not in the file)."""
    if rep.targets:
        found = [index.get(id(t)) for t in rep.targets]
        if any(i is None for i in found):
            return None
        return {i for i in found if i is not None}
    anchor = rep.after if rep.after is not None else rep.before
    if anchor is None or id(anchor) not in index:
        return None
    return {index[id(anchor)]}


def choose_fixes(df: Dockerfile, findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    """The findings whose fixes apply this round: allowed, valid, and not overlapping an earlier one."""
    index = _top_index(df)
    taken: set[int] = set()
    chosen: list[Finding] = []
    for f in findings:
        if not fix_allowed(f.fix, unsafe):
            continue
        assert f.fix is not None
        touched: set[int] = set()
        ok = True
        for rep in f.fix.edits:
            t = _touched(rep, index)
            if t is None:
                ok = False
                break
            touched |= t
        if not ok or touched & taken:
            continue
        taken |= touched
        chosen.append(f)
    return chosen


# ---- IR level (declarations; dockgen.compile runs the fixpoint) -------------------------------------------


@record
class _Op:
    start: int  # first top-level index replaced (or insertion point)
    stop: int  # one past the last replaced (== start for an insertion)
    new: tuple[IRInstruction, ...]


def _ops(df: Dockerfile, rep: Replace, index: dict[int, int]) -> _Op:
    if rep.targets:
        idx = sorted(index[id(t)] for t in rep.targets)
        top = df.instructions[idx[0]]
        if len(rep.targets) == 1 and rep.targets[0] is not top:  # a sub-instruction (ONBUILD / HEALTHCHECK)
            if len(rep.replacement) != 1:
                return _Op(idx[0], idx[0] + 1, ()) if not rep.replacement else _Op(idx[0], idx[0], ())
            return _Op(idx[0], idx[0] + 1, (_record.replace(top, sub=rep.replacement[0]),))
        return _Op(idx[0], idx[-1] + 1, rep.replacement)
    if rep.after is not None:
        i = index[id(rep.after)] + 1
    else:
        assert rep.before is not None
        i = index[id(rep.before)]
    return _Op(i, i, rep.replacement)


def apply_fixes_ir(df: Dockerfile, findings: Sequence[Finding]) -> Dockerfile:
    """Apply already-chosen (non-overlapping) fixes to the IR."""
    index = _top_index(df)
    ops = [_ops(df, rep, index) for f in findings if f.fix for rep in f.fix.edits]
    items = list(df.instructions)
    for op in sorted(ops, key=lambda o: (o.start, o.stop), reverse=True):
        items[op.start : op.stop] = op.new
    return _record.replace(df, instructions=tuple(items))


class _Stop(Exception):
    """Raised by an ``apply`` step of :func:`fixpoint` to end the loop, keeping the last good result."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason


@record
class FixOutcome:
    """The result of :func:`fixpoint`: the fixed Dockerfile, the findings whose fixes were applied (in order),
    the number of rounds that changed something, and why the loop stopped early (None when it converged)."""

    dockerfile: Dockerfile
    applied: list[Finding] = field(default_factory=list)
    rounds: int = 0
    stopped: str | None = None


def fixpoint(
    df: Dockerfile,
    lint: Lint,
    apply: Callable[[Dockerfile, list[Finding]], Dockerfile | None] | None = None,
    *,
    unsafe: bool = False,
) -> FixOutcome:
    """The one lint -> choose -> apply loop, run until no allowed fix is left (at most :data:`MAX_ROUNDS`).

    ``apply`` turns a Dockerfile and the fixes chosen this round into the next Dockerfile (default:
    :func:`apply_fixes_ir`); it returns None when nothing changed, or raises :class:`_Stop` to end the loop.
    """
    step = apply or apply_fixes_ir
    out = FixOutcome(df)
    for _ in range(MAX_ROUNDS):
        chosen = choose_fixes(out.dockerfile, lint(out.dockerfile), unsafe)
        if not chosen:
            break
        try:
            new = step(out.dockerfile, chosen)
        except _Stop as stop:
            out.stopped = stop.reason
            break
        if new is None:
            break
        out.dockerfile = new
        out.applied.extend(chosen)
        out.rounds += 1
    return out


# ---- text level (raw Dockerfiles) -------------------------------------------------------------------------


@record(frozen=True)
class TextEdit:
    start: int
    end: int
    text: str


def _line_start(src: str, offset: int) -> int:
    return src.rfind("\n", 0, offset) + 1


def _indent(src: str, offset: int) -> str:
    ls = _line_start(src, offset)
    prefix = src[ls:offset]
    return prefix if not prefix.strip() else ""


_TOKEN = re.compile(r"\S+")


def _word_edits(src: str, old: IRInstruction, new: IRInstruction, escape: str) -> list[TextEdit] | None:
    """Word-level edits turning ``old``'s source into ``new`` (None when the change is not small)."""
    assert old.span is not None
    logical, offs = logical_map(src, old.span.start, old.span.end, escape)
    # a token that is just the escape character is a renderer's line break, not content
    toks = [
        (m.group(), offs[m.start()], offs[m.end() - 1] + 1)
        for m in _TOKEN.finditer(logical)
        if m.group() != escape
    ]
    r_old = [t for t in render(old, escape).split() if t != escape]
    r_new = [t for t in render(new, escape).split() if t != escape]
    if len(toks) != len(r_old) or not toks:
        return None
    if toks[0][0].upper() != r_old[0].upper() or any(
        a[0] != b for a, b in zip(toks[1:], r_old[1:], strict=True)
    ):
        return None
    import difflib

    sm = difflib.SequenceMatcher(None, r_old, r_new, autojunk=False)
    ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
    if changed > max(3, len(r_old) // 2):
        return None

    def same_line(a: int, b: int) -> bool:
        return "\n" not in src[a:b]

    edits: list[TextEdit] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace" and i2 - i1 == j2 - j1:
            edits.extend(
                TextEdit(toks[i][1], toks[i][2], r_new[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        elif tag == "replace":
            if not same_line(toks[i1][1], toks[i2 - 1][2]):
                return None
            edits.append(TextEdit(toks[i1][1], toks[i2 - 1][2], " ".join(r_new[j1:j2])))
        elif tag == "delete":
            first_s, last_e = toks[i1][1], toks[i2 - 1][2]
            if i1 > 0 and same_line(toks[i1 - 1][2], first_s):
                edits.append(TextEdit(toks[i1 - 1][2], last_e, ""))
            elif i2 < len(toks) and same_line(last_e, toks[i2][1]):
                edits.append(TextEdit(first_s, toks[i2][1], ""))
            else:
                edits.append(TextEdit(first_s, last_e, ""))
        else:  # insert
            words = " ".join(r_new[j1:j2])
            if i1 > 0:
                edits.append(TextEdit(toks[i1 - 1][2], toks[i1 - 1][2], " " + words))
            else:
                edits.append(TextEdit(toks[0][1], toks[0][1], words + " "))
    return edits


_PIECE = re.compile(r"\S+|\s+")


def _command_edits(src: str, old: IRInstruction, new: IRInstruction, escape: str) -> list[TextEdit] | None:
    """Edits of a shell-form RUN whose fix changed only its command text: the changed words, nothing else.

    The old and new command texts are compared word by word and each change is mapped onto the source
    through the logical line's offset map, so comments, blank continuation lines, tabs and the line layout
    of the RUN survive byte for byte. None when the change is not of that kind or crosses a line break.
    """
    if (
        old.keyword != new.keyword
        or old.original != new.original
        or old.flags != new.flags
        or old.heredocs != new.heredocs
        or old.is_exec
        or new.is_exec
        or len(old.args) != 1
        or len(new.args) != 1
        or old.span is None
    ):
        return None
    logical, offs = logical_map(src, old.span.start, old.span.end, escape)
    a, b = old.args[0], new.args[0]
    at = logical.rfind(a)
    if at < 0 or not a or logical[at:].rstrip() != a.rstrip():
        return None
    pa = [(m.group(), m.start()) for m in _PIECE.finditer(a)]
    pb = [m.group() for m in _PIECE.finditer(b)]

    def where(i: int) -> int:  # source offset of the start of old piece i (or just after the last)
        return offs[at + pa[i][1]] if i < len(pa) else offs[at + len(a) - 1] + 1

    edits: list[TextEdit] = []
    import difflib

    sm = difflib.SequenceMatcher(None, [p for p, _ in pa], pb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        start = where(i1)
        end = start if tag == "insert" else offs[at + pa[i2 - 1][1] + len(pa[i2 - 1][0]) - 1] + 1
        if "\n" in src[start:end]:
            return None
        edits.append(TextEdit(start, end, "".join(pb[j1:j2])))
    return edits


def _apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    out = text
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: e.start] + e.text + out[e.end :]
    return out


def _render_block(news: Sequence[IRInstruction], indent: str, newline: str, escape: str = "\\") -> str:
    parts = [render(n, escape) for n in news]
    text = ("\n" + indent).join(parts)
    return text.replace("\n", newline) if newline != "\n" else text


def _replace_span_edits(src: str, df: Dockerfile, rep: Replace, newline: str) -> list[TextEdit]:
    index = _top_index(df)
    escape = df.escape
    if rep.targets:
        tops = sorted({index[id(t)] for t in rep.targets})
        first, last = df.instructions[tops[0]], df.instructions[tops[-1]]
        assert first.span is not None and last.span is not None
        news = rep.replacement
        if len(rep.targets) == 1 and rep.targets[0] is not first:  # sub-instruction: rewrite its parent
            news = (_record.replace(first, sub=rep.replacement[0]),) if len(rep.replacement) == 1 else ()
        if not news:  # deletion: remove the whole lines
            ls = _line_start(src, first.span.start)
            end = last.span.end
            if src.startswith("\r\n", end):
                end += 2
            elif src.startswith("\n", end):
                end += 1
            elif ls > 0:  # last line of the file without newline: eat the preceding newline instead
                ls -= 2 if src[ls - 2 : ls] == "\r\n" else 1
            return [TextEdit(ls, end, "")]
        if rep.text is not None and df.source == src:
            return [TextEdit(first.span.start, last.span.end, rep.text)]  # the rule kept the file's layout
        if len(tops) == 1 and len(news) == 1:
            words = _command_edits(src, first, news[0], escape)
            if words is None:
                words = _word_edits(src, first, news[0], escape)
            if words is not None:
                return _tidy(src, first.span.start, first.span.end, words, escape)
        return [
            TextEdit(
                first.span.start,
                last.span.end,
                _render_block(news, _indent(src, first.span.start), newline, escape),
            )
        ]
    if rep.after is not None:
        anchor = df.instructions[index[id(rep.after)]]
        assert anchor.span is not None
        ind = _indent(src, anchor.span.start)
        # a new stage starts after a blank line
        gap = newline if rep.replacement and rep.replacement[0].keyword == "FROM" else ""
        return [
            TextEdit(
                anchor.span.end,
                anchor.span.end,
                newline + gap + ind + _render_block(rep.replacement, ind, newline, escape),
            )
        ]
    assert rep.before is not None
    anchor = df.instructions[index[id(rep.before)]]
    assert anchor.span is not None
    at = anchor.comments[0].span.start if anchor.comments and anchor.comments[0].span else anchor.span.start
    ls = _line_start(src, at)
    ind = _indent(src, anchor.span.start)
    return [TextEdit(ls, ls, ind + _render_block(rep.replacement, ind, newline, escape) + newline)]


_BARE_CONT = re.compile(r"^[ \t]*(?:\\|`)[ \t]*\r?$")


def _tidy(src: str, start: int, end: int, edits: list[TextEdit], escape: str) -> list[TextEdit]:
    """Word edits, plus removal of continuation lines the edits left holding nothing but the escape."""
    old = src[start:end]
    local = [TextEdit(e.start - start, e.end - start, e.text) for e in edits]
    new = _apply_edits(old, local)
    old_bare = sum(1 for ln in old.split("\n") if _BARE_CONT.match(ln))
    lines = new.split("\n")
    if sum(1 for ln in lines if _BARE_CONT.match(ln)) > old_bare:
        new = "\n".join(ln for ln in lines if not _BARE_CONT.match(ln))
        return [TextEdit(start, end, new)]
    return edits


def text_edits(src: str, df: Dockerfile, chosen: Sequence[Finding]) -> list[TextEdit]:
    newline = "\r\n" if "\r\n" in src else "\n"
    edits: list[TextEdit] = []
    for f in chosen:
        assert f.fix is not None
        for rep in f.fix.edits:
            edits.extend(_replace_span_edits(src, df, rep, newline))
    return edits


@record
class TextFixResult:
    """The outcome of fixing one file's text."""

    text: str
    applied: list[Finding] = field(default_factory=list)
    rounds: int = 0
    broken: str | None = None  # set when a fix produced text the parser refused (the last good text is kept)


def fix_text(text: str, path: str, lint: Lint, *, unsafe: bool = False) -> TextFixResult:
    """Fix ``text`` to a fixpoint with ``lint`` (the file's configured rules). Minimal edits only."""
    result = TextFixResult(text=text)

    def apply(df: Dockerfile, chosen: list[Finding]) -> Dockerfile | None:
        src = df.source if df.source is not None else result.text
        new = _apply_edits(src, text_edits(src, df, chosen))
        if new == src:
            return None
        try:
            fixed = parse_text(new, path)
        except DockgenError as exc:
            codes = ", ".join(sorted({f.code for f in chosen}))
            raise _Stop(f"the fix of {codes} produced unparseable text ({exc.message}); not applied") from exc
        result.text = new
        return fixed

    outcome = fixpoint(parse_text(text, path), lint, apply, unsafe=unsafe)
    result.applied = outcome.applied
    result.rounds = outcome.rounds
    result.broken = outcome.stopped
    return result


def unified_diff(path: str, old: str, new: str) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
        )
    )
