"""DG019: consecutive RUN instructions that could be one layer."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockgen._lazyre import lazy_compile
from dockgen._record import record
from dockgen.ir import Dockerfile, IRInstruction
from dockgen.lint.edits import logical_map, with_command
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.syntax import commands, tokenize
from dockgen.stages import posix_shell, stage_shell

#: Commands whose effect carries over to the following commands of the same shell.
_STATEFUL = frozenset(
    {"cd", "pushd", "popd", "export", "set", "unset", "umask", "source", ".", "alias", "unalias", "shopt",
     "ulimit", "exit", "return", "trap", "readonly", "declare", "typeset", "local", "shift", "eval", "exec",
     "read", "getopts", "mapfile", "readarray", "let", "hash", "enable", "wait", "function", "builtin"}
)  # fmt: skip

#: Reserved words that open / close a compound command (its inner separators are not top-level).
_OPENERS = frozenset({"if", "case", "do", "{"})
_CLOSERS = frozenset({"fi", "esac", "done", "}"})
_COMMAND_POSITION = frozenset({"then", "else", "elif", "do", "if", "while", "until", "!", "{"})
#: Shell text that assigns a variable without a visible assignment word (``$((i=1))``, ``${X:=y}``, loops).
_HIDDEN_STATE = lazy_compile(r"\$\(\(|\(\(|\$\{[^}]*:?=|\b(?:for|select|while|until)\b|\w\s*\(\s*\)")


@record(frozen=True)
class _Shape:
    """What joining needs to know about one RUN's command text."""

    top_ops: frozenset[str]  # control operators outside any group/compound command
    background: bool  # a ``&`` anywhere: a job that would outlive its RUN once joined
    stateful: bool  # changes shell state (cwd, variables, options, traps, functions, exit)
    errexit: bool  # turns on ``set -e``: ignored inside a non-last part of an && list


def _shape(text: str) -> _Shape | None:
    """The structure of ``text`` (None when it does not parse as a balanced shell text)."""
    top: set[str] = set()
    background = False
    depth = 0
    at_command = True
    for tok in tokenize(text):
        if tok.kind == "heredoc":
            return None
        if tok.kind == "word":
            if at_command and tok.raw == tok.text:
                if tok.text in _OPENERS:
                    depth += 1
                elif tok.text in _CLOSERS:
                    depth -= 1
                    if depth < 0:
                        return None
            at_command = tok.raw in _COMMAND_POSITION
            continue
        op = tok.raw if tok.raw == "\n" else tok.text
        if op == "(":
            depth += 1
        elif op == ")":
            depth -= 1
            if depth < 0:
                return None
        elif op == "&":
            background = True
        elif depth == 0 and op in ("&&", "||", ";", "\n", "|", "|&"):
            top.add(";" if op == "\n" else op)
        at_command = op in ("&&", "||", ";", "\n", "|", "|&", "(", ")", "&")
    if depth != 0:
        return None
    cmds = commands(text)
    stateful = bool(_HIDDEN_STATE.search(text)) or any(
        c.name in _STATEFUL or (not c.words and c.assignments) for c in cmds
    )
    errexit = any(
        c.name == "set"
        and any(
            (w.text.startswith("-") and not w.text.startswith("--") and "e" in w.text) or w.text == "errexit"
            for w in c.args
        )
        for c in cmds
    )
    return _Shape(frozenset(top), background, stateful, errexit)


def _has_comment(text: str) -> bool:
    """True when ``text`` holds a shell comment (``# ...``): joined text after it would be commented out."""
    covered = [(t.start, t.end) for t in tokenize(text)]
    for m in re.finditer("#", text):
        i = m.start()
        if (i == 0 or text[i - 1] in " \t\n;&|(") and not any(s <= i < e for s, e in covered):
            return True
    return False


def _command(ins: IRInstruction) -> str:
    """The command text without a trailing ``;`` (which cannot precede ``&&``)."""
    text = ins.args[0].strip()
    if text.endswith(";") and not text.endswith(";;"):
        text = text[:-1].rstrip()
    return text


def _joinable(df: Dockerfile, ins: IRInstruction) -> bool:
    """A shell-form RUN whose commands can be placed in a joined RUN at all."""
    if ins.keyword != "RUN" or ins.is_exec or ins.heredocs or not ins.args or not ins.args[0].strip():
        return False
    if not posix_shell(df, ins):
        return False
    text = _command(ins)
    shape = _shape(text)
    return shape is not None and not shape.background and not _has_comment(text)


def _wraps(df: Dockerfile, group: list[IRInstruction]) -> list[str] | None:
    """How each RUN's commands go into the joined RUN: ``""`` bare, ``"{"`` grouped, ``"("`` in a subshell.

    Separate RUNs are separate shells whose failure stops the build. In ``A && B``, a later part with a
    top-level ``;`` or ``||`` must be grouped so that A's failure still stops it; an earlier part that changes
    the shell's state (``cd``, ``export``, ``set``, ``trap``, functions, ``exit``...) runs in a subshell so the
    state does not reach the later parts. None when no join behaves the same: ``set -e`` (in the part or the
    stage's SHELL) is ignored inside a group or subshell that is not the last command of an ``&&`` list.
    """
    shell = stage_shell(df, group[0]) or ()
    shell_errexit = (
        any(a.startswith("-") and not a.startswith("--") and "e" in a and a != "-c" for a in shell[1:])
        or "errexit" in shell
    )
    wraps: list[str] = []
    last = len(group) - 1
    for i, ins in enumerate(group):
        shape = _shape(_command(ins))
        assert shape is not None
        if i < last and shape.stateful:
            wrap = "("
        elif ";" in shape.top_ops or (i > 0 and "||" in shape.top_ops):
            wrap = "{"
        else:
            wrap = ""
        if wrap and i < last and (shape.errexit or shell_errexit):
            return None
        wraps.append(wrap)
    return wraps


def _wrapped(text: str, wrap: str) -> str:
    if wrap == "(":
        return f"( {text} )"
    if wrap == "{":
        return f"{{ {text}; }}"
    return text


def _strip_semicolon(text: str) -> str:
    text = text.rstrip()
    if text.endswith(";") and not text.endswith(";;"):
        text = text[:-1].rstrip()
    return text


def _command_start(src: str, ins: IRInstruction, escape: str) -> int | None:
    """Source offset where the command text of ``ins`` starts (after ``RUN`` and its flags)."""
    assert ins.span is not None
    logical, offsets = logical_map(src, ins.span.start, ins.span.end, escape)
    command = ins.args[0].strip()
    at = logical.rfind(command)
    if at < 0 or not command:
        return None
    return offsets[at]


def _raw_join(df: Dockerfile, group: list[IRInstruction], wraps: list[str]) -> str | None:
    """The joined RUN as source text in the file's own layout (None when the source is not at hand)."""
    src = df.source
    if src is None or any(i.span is None or i.span.start < 0 for i in group):
        return None
    escape = df.escape
    heads: list[str] = []
    parts: list[str] = []
    for ins in group:
        assert ins.span is not None
        start = _command_start(src, ins, escape)
        if start is None:
            return None
        heads.append(src[ins.span.start : start])
        parts.append(_strip_semicolon(src[start : ins.span.end]))
    raws = [src[i.span.start : i.span.end] for i in group if i.span is not None]
    body = [_wrapped(p, w) for p, w in zip(parts, wraps, strict=True)]
    if not any("\n" in r for r in raws):
        return heads[0] + " && ".join(body)
    newline = "\r\n" if any("\r\n" in r for r in raws) else "\n"
    lines = [ln.rstrip("\r") for r in raws for ln in r.split("\n")[1:]]
    leading = any(ln.lstrip().startswith("&&") for ln in lines)
    indent = next(
        (ln[: len(ln) - len(ln.lstrip())] for ln in lines if ln.strip() and ln != ln.lstrip()), "    "
    )
    sep = f" {escape}{newline}{indent}&& " if leading else f" && {escape}{newline}{indent}"
    return heads[0] + sep.join(body)


class ConsecutiveRunInstructions(Rule):
    """
    ## What it does
    Flags runs of adjacent `RUN` instructions in one stage that could be a single layer, and fixes them by
    joining the commands with `&&`.

    A split is taken as intentional, and left alone, when the `RUN`s differ in flags (`--mount`,
    `--network`, `--security`), when one uses exec form or a here-document, or when the later `RUN` has its
    own comment above it. Only directly adjacent `RUN`s are joined: an `ENV`, `COPY`, `WORKDIR`, `USER` or
    any other instruction in between ends the run.

    The fix is safe: the joined `RUN` behaves like the separate ones. Separate `RUN`s are separate shells and
    a failing one stops the build, so the join keeps each part's meaning: a part with a top-level `;` or `||`
    is grouped (`{ a; b; }`), so that an earlier failure still stops it, and an earlier part that changes the
    shell's state (`cd`, `export`, `set`, `trap`, a function, `exit`, a loop variable) runs in a subshell
    (`( cd /src && make )`), so the later parts do not see that state. `RUN`s that start background jobs
    (`&`) or end in a shell comment are not joined. When a part turns on `set -e` (or the stage's `SHELL`
    does) and would need a group or subshell, no join behaves the same (`set -e` is ignored inside an `&&`
    list), so the finding has no fix.

    The fix keeps the file's layout: single-line `RUN`s are joined on one line; multi-line ones keep their
    lines, comments and indentation and are chained in the file's own style (trailing `&& \\` or leading
    `&&`).

    Unlike hadolint's DL3059, which reports every further `RUN` of a run but skips `RUN`s that chain
    commands with `&&`, dockgen reports a run once (on its second `RUN`, listing all lines) and also joins
    `RUN`s that already chain commands.

    ## Why is this bad?
    Every `RUN` is a layer with its own metadata and its own cache entry. Steps that belong together (install,
    configure, clean up) should share a layer, so that files cleaned up at the end never reach the image and
    the steps are cached together.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app
    RUN mkdir -p /srv/data
    RUN chown app /srv/data
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app && mkdir -p /srv/data && chown app /srv/data
    ```

    ## References
    - hadolint DL3059 (narrower: it ignores the reasons to keep RUNs apart)
    - https://docs.docker.com/build/building/best-practices/#run
    """

    code = "DG019"
    name = "consecutive-run-instructions"
    triggers = frozenset({"RUN"})
    severity = Severity.INFO
    message = "consecutive RUN instructions can be merged into one layer"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3059",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            group: list[IRInstruction] = []
            for ins in (*stage.instructions, None):
                joinable = ins is not None and _joinable(df, ins)
                if (
                    ins is not None
                    and joinable
                    and group
                    and ins.flags == group[-1].flags
                    and not ins.comments
                ):
                    group.append(ins)
                    continue
                if len(group) > 1:
                    yield self._finding(df, group)
                group = [ins] if ins is not None and joinable else []

    def _finding(self, df: Dockerfile, group: list[IRInstruction]) -> Finding:
        if all(i.span is not None for i in group):
            where = "RUN instructions at lines " + ", ".join(str(i.line) for i in group)
        else:  # declarations have no lines
            where = f"{len(group)} consecutive RUN instructions"
        wraps = _wraps(df, group)
        if wraps is None:
            return self.finding(
                group[1], f"{where} can be one layer (join with &&; `set -e` needs care, so no automatic fix)"
            )
        merged = with_command(
            group[0], " && ".join(_wrapped(_command(i), w) for i, w in zip(group, wraps, strict=True))
        )
        edit = Replace(targets=tuple(group), replacement=(merged,), text=_raw_join(df, group, wraps))
        fix = Fix(f"merge {len(group)} RUN instructions with &&", (edit,))
        return self.finding(group[1], f"{where} can be one layer (join with &&)", fix=fix)
