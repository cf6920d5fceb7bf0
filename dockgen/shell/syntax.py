"""Shell syntax: a small, fast POSIX shell reader.

It does not execute or fully parse shell; it splits a command text into *simple commands* the way a reader of a
``RUN`` line would, which is what Dockerfile rules need:

* commands are split across ``&&``, ``||``, ``;``, ``|``, ``&`` and newlines, with quoting respected;
* subshells ``( ... )`` and groups ``{ ...; }`` are flattened; ``if``/``then``/``while``/... keywords at the
  start of a command are skipped; ``for``/``case`` headers are skipped;
* assignments (``A=1 cmd``) and the prefixes ``env``, ``sudo``, ``doas``, ``nohup``, ``exec``, ``time``,
  ``command``, ``nice`` and ``timeout`` are seen through (recorded in :attr:`Command.prefixes`);
* redirections (``> f``, ``2>&1``, ``<<EOF``) are removed from the argument words and kept in
  :attr:`Command.redirects` (a here-document body inside the text is attached to its redirect);
* every :class:`Word` keeps its character offsets in the text it came from, so a rule can edit the text
  minimally (insert ``-y`` after ``install``) for an autofix.

:func:`commands` is cached, so many rules can ask for the same text cheaply. :func:`tokenize` is the one
scanner: the renderer's :func:`layout_tokens` (behind :func:`collapse_blanks` and :func:`split_commands`, which
lay a command out on lines) works from its tokens and the offsets between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from dockgen._record import field, record

__all__ = [
    "SHELLS",
    "Command",
    "Redirect",
    "Script",
    "Token",
    "Word",
    "chains",
    "collapse_blanks",
    "commands",
    "layout_tokens",
    "see_through",
    "split_commands",
    "tokenize",
]

#: Program names that are POSIX-ish shells.
SHELLS: frozenset[str] = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})

_REDIRECT_OPS: tuple[str, ...] = ("&>>", "<<-", "<<<", ">>", "<<", ">&", "<&", ">|", "<>", "&>", "<", ">")
_CONTROL_OPS: tuple[str, ...] = (";;&", ";;", "&&", "||", "|&", ";&", "|", "&", ";", "(", ")", "\n")
_OP_CHARS = frozenset("|&;<>()\n")
_BLANKS = frozenset(" \t\r")
_LAYOUT_BLANKS = frozenset(" \t")  # what the renderer collapses (a carriage return is kept as written)
_SEPARATORS = frozenset({"&&", "||", ";", ";;", ";&", ";;&", "|", "|&", "&", "\n"})
_SKIP_WORDS = frozenset({"{", "}", "!", "if", "then", "else", "elif", "fi", "do", "done", "while", "until"})
_SIMPLE_PREFIXES = frozenset({"nohup", "exec", "time", "command", "builtin"})
_SUDO_VALUE_OPTS = frozenset("ugpCDrtUTh")
_IDENT_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_IDENT = _IDENT_START | frozenset("0123456789")


@record(frozen=True, slots=True)
class Word:
    """One shell word: ``text`` with quotes removed (no expansion), ``raw`` as written, offsets in the text."""

    text: str
    raw: str
    start: int
    end: int

    @property
    def quoted(self) -> bool:
        return self.raw != self.text


@record(frozen=True, slots=True)
class Redirect:
    """A redirection: operator (``>``, ``2>&``, ``<<``, ...), its target word, and a here-document body."""

    op: str
    target: str
    start: int
    end: int
    body: str | None = None


@record(frozen=True, slots=True)
class Token:
    """A word, an operator or a here-document body; ``raw`` is ``text[start:end]`` of the scanned text."""

    kind: str  # "word", "op" or "heredoc"
    text: str
    raw: str
    start: int
    end: int


@record(frozen=True, slots=True)
class Command:
    """A simple command.

    ``words`` are the words from the real command on (``argv``); ``prefix`` holds what was seen through before
    it (assignments, ``sudo -u x``, ``env A=1``); ``prefixes`` the names of the wrapper programs (``sudo``...);
    ``assignments`` the ``NAME=value`` pairs before the command (unquoted). ``op`` is the operator to the next
    command (``&&``, ``||``, ``;``, ``|``, ``|&``, ``&``; newlines are ``;``; ``""`` for the last command).
    ``start``/``end`` are offsets in the text of the whole command including prefixes and redirections.
    ``script`` tells which text of the instruction the offsets refer to (see :class:`Script`).
    """

    words: tuple[Word, ...]
    prefix: tuple[Word, ...] = ()
    prefixes: tuple[str, ...] = ()
    assignments: tuple[tuple[str, str], ...] = ()
    redirects: tuple[Redirect, ...] = ()
    op: str = ""
    start: int = 0
    end: int = 0
    depth: int = 0
    script: int = -1

    @property
    def argv(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.words)

    @property
    def name(self) -> str:
        """Basename of the program (``/usr/bin/apt-get`` -> ``apt-get``), '' for an empty command."""
        if not self.words:
            return ""
        return self.words[0].text.rsplit("/", 1)[-1]

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]

    def env(self) -> dict[str, str]:
        return dict(self.assignments)


@record(frozen=True, slots=True)
class Script:
    """One shell text of a RUN: ``index`` -1 is the instruction's own command text (shell form), ``i >= 0``
    is ``ins.heredocs[i]`` run as a script, -2 is the exec form (no offsets usable for edits)."""

    index: int
    text: str
    commands: tuple[Command, ...] = field(default=())


# ---- tokenizer ------------------------------------------------------------------------------------------


def _scan_dollar(text: str, i: int, n: int, blanks: list[tuple[int, int]] | None = None) -> int:
    """``text[i]`` is ``$`` (or ``<``/``>`` of a process substitution); return the index after a ``$(...)``,
    ``$((...))`` or ``${...}``, else ``i + 1``. Runs of blanks outside quotes go to ``blanks`` when given."""
    if i + 1 >= n:
        return i + 1
    nxt = text[i + 1]
    if nxt not in "({":
        return i + 1
    close = ")" if nxt == "(" else "}"
    depth = 0
    quoted = False  # inside '...' of a ${...}: its end is found as before, its blanks are not collapsible
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if blanks is not None and c in _LAYOUT_BLANKS and not quoted:
            k = j + 1
            while k < n and text[k] in _LAYOUT_BLANKS:
                k += 1
            blanks.append((j, k))
            j = k
            continue
        if c == "'":
            if close == ")":
                k = text.find("'", j + 1)
                j = n if k < 0 else k + 1
                continue
            quoted = not quoted
        if c == '"':
            j = _scan_double(text, j, n)
            continue
        if c == "`":
            k = text.find("`", j + 1)
            j = n if k < 0 else k + 1
            continue
        if c == nxt:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def _scan_double(text: str, i: int, n: int) -> int:
    """``text[i]`` is ``"``; return the index after the closing quote."""
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == '"':
            return j + 1
        if c == "$":
            k = _scan_dollar(text, j, n)
            if k > j + 1:
                j = k
                continue
        if c == "`":
            k = text.find("`", j + 1)
            j = n if k < 0 else k + 1
            continue
        j += 1
    return n


def _word(text: str, i: int, n: int, blanks: list[tuple[int, int]] | None = None) -> tuple[int, str]:
    """Scan one word from ``i``; return (end, unquoted text). Blank runs inside its unquoted ``$(...)`` and
    ``${...}`` go to ``blanks``."""
    out: list[str] = []
    j = i
    while j < n:
        c = text[j]
        if c in _BLANKS or c in _OP_CHARS:
            break
        if c == "\\":
            if j + 1 < n:
                if text[j + 1] != "\n":
                    out.append(text[j + 1])
                j += 2
            else:
                j += 1
            continue
        if c == "'":
            k = text.find("'", j + 1)
            if k < 0:
                out.append(text[j + 1 :])
                j = n
            else:
                out.append(text[j + 1 : k])
                j = k + 1
            continue
        if c == '"':
            k = _scan_double(text, j, n)
            inner = (
                text[j + 1 : k - 1] if k <= n and text[k - 1 : k] == '"' and k - 1 > j else text[j + 1 : k]
            )
            out.append(_unescape_double(inner))
            j = k
            continue
        if c == "$":
            k = _scan_dollar(text, j, n, blanks)
            out.append(text[j:k])
            j = k
            continue
        if c == "`":
            k = text.find("`", j + 1)
            k = n if k < 0 else k + 1
            out.append(text[j:k])
            j = k
            continue
        out.append(c)
        j += 1
    return j, "".join(out)


def _unescape_double(inner: str) -> str:
    if "\\" not in inner:
        return inner
    out: list[str] = []
    i, n = 0, len(inner)
    while i < n:
        c = inner[i]
        if c == "\\" and i + 1 < n and inner[i + 1] in '"\\$`\n':
            if inner[i + 1] != "\n":
                out.append(inner[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def tokenize(text: str, blank_runs: list[tuple[int, int]] | None = None) -> list[Token]:
    """Words and operators of ``text``; comments dropped; here-document bodies become ``heredoc`` tokens.

    ``blank_runs``, when given, receives the ``(start, end)`` offsets of the runs of blanks inside the words'
    unquoted ``$(...)``, ``${...}`` and ``<(...)``, in order: what the renderer's layout may collapse without
    changing a quoted string.
    """
    tokens: list[Token] = []
    blanks = blank_runs
    pending_heredocs: list[tuple[str, bool]] = []
    expect_delim: bool | None = None  # strip-tabs flag while waiting for a heredoc delimiter word
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _BLANKS:
            i += 1
            continue
        if c == "\\" and i + 1 < n and text[i + 1] == "\n":
            i += 2
            continue
        if c == "#":
            k = text.find("\n", i)
            i = n if k < 0 else k
            continue
        if c in "<>" and i + 1 < n and text[i + 1] == "(":
            k = _scan_dollar(text, i, n, blanks)
            tokens.append(Token("word", text[i:k], text[i:k], i, k))
            i = k
            continue
        if c in _OP_CHARS:
            op = _match_op(text, i)
            if op == "\n" and pending_heredocs:
                tokens.append(Token("op", ";", "\n", i, i + 1))
                i += 1
                for delim, strip in pending_heredocs:
                    body_start = i
                    while i < n:
                        k = text.find("\n", i)
                        line = text[i:n] if k < 0 else text[i:k]
                        nxt = n if k < 0 else k + 1
                        if (line.lstrip("\t") if strip else line) == delim:
                            tokens.append(Token("heredoc", text[body_start:i], delim, body_start, i))
                            i = nxt
                            break
                        i = nxt
                    else:
                        tokens.append(Token("heredoc", text[body_start:i], delim, body_start, i))
                pending_heredocs = []
                continue
            if op in ("<<", "<<-"):
                expect_delim = op == "<<-"
            tokens.append(Token("op", op, op, i, i + len(op)))
            i += len(op)
            continue
        end, unq = _word(text, i, n, blanks)
        if end < n and text[end] in "<>" and text[i:end].isdigit():
            op = _match_op(text, end)
            if op in _REDIRECT_OPS:
                tokens.append(Token("op", text[i:end] + op, text[i : end + len(op)], i, end + len(op)))
                if op in ("<<", "<<-"):
                    expect_delim = op == "<<-"
                i = end + len(op)
                continue
        tokens.append(Token("word", unq, text[i:end], i, end))
        if expect_delim is not None:
            pending_heredocs.append((unq, expect_delim))
            expect_delim = None
        i = end
    return tokens


def _match_op(text: str, i: int) -> str:
    for op in _REDIRECT_OPS + _CONTROL_OPS:
        if text.startswith(op, i):
            # prefer the longest match among both tables
            best = op
            for other in _REDIRECT_OPS + _CONTROL_OPS:
                if len(other) > len(best) and text.startswith(other, i):
                    best = other
            return best
    return text[i]


# ---- grouping into simple commands ----------------------------------------------------------------------


def _is_assignment(word: Word) -> bool:
    raw = word.raw
    if not raw or raw[0] not in _IDENT_START:
        return False
    for ch in raw:
        if ch == "=":
            return True
        if ch not in _IDENT:
            return False
    return False


def see_through(words: list[Word]) -> tuple[int, list[str], list[tuple[str, str]]]:
    """Index of the real command in ``words``, the wrapper names, and the assignments seen on the way."""
    i = 0
    prefixes: list[str] = []
    assigns: list[tuple[str, str]] = []
    n = len(words)
    while i < n:
        w = words[i]
        if _is_assignment(w):
            key, _, value = w.text.partition("=")
            assigns.append((key, value))
            i += 1
            continue
        name = w.text.rsplit("/", 1)[-1]
        if name in ("sudo", "doas"):
            prefixes.append(name)
            i += 1
            while i < n and words[i].text.startswith("-") and words[i].text != "--":
                opt = words[i].text
                i += 1
                if not opt.startswith("--") and len(opt) == 2 and opt[1] in _SUDO_VALUE_OPTS:
                    i += 1
            if i < n and words[i].text == "--":
                i += 1
            continue
        if name == "env":
            prefixes.append(name)
            i += 1
            while i < n:
                t = words[i].text
                if t in ("-u", "--unset", "-C", "--chdir", "-S", "--split-string"):
                    i += 2
                elif t.startswith("-") and t != "--":
                    i += 1
                elif t == "--":
                    i += 1
                    break
                else:
                    break
            continue
        if name in _SIMPLE_PREFIXES:
            prefixes.append(name)
            i += 1
            while i < n and words[i].text.startswith("-") and words[i].text not in ("-", "--"):
                opt = words[i].text
                i += 1
                if name == "exec" and opt == "-a":
                    i += 1
            continue
        if name == "nice":
            prefixes.append(name)
            i += 1
            while i < n and words[i].text.startswith("-"):
                if words[i].text == "-n":
                    i += 1
                i += 1
            continue
        if name == "timeout":
            prefixes.append(name)
            i += 1
            while i < n and words[i].text.startswith("-"):
                if words[i].text in ("-s", "-k", "--signal", "--kill-after"):
                    i += 1
                i += 1
            i += 1  # the duration
            continue
        break
    return i, prefixes, assigns


@lru_cache(maxsize=32768)
def commands(text: str, script: int = -1) -> tuple[Command, ...]:
    """Split ``text`` into simple commands (see the module docs). Cached; the result is immutable."""
    out: list[Command] = []
    words: list[Word] = []
    redirects: list[Redirect] = []
    pending_redirect: Token | None = None
    depth = 0
    skip_until_sep = False
    in_case = False
    group_closed = False
    body_targets: list[tuple[int, int]] = []

    def finish(op: str) -> None:
        nonlocal words, redirects, group_closed
        if not words and group_closed and out:
            redirects = []  # redirection of a whole group: ``{ a; b; } > log``
        if words or redirects:
            idx, prefixes, assigns = see_through(words)
            start_candidates = [w.start for w in words] + [r.start for r in redirects]
            end_candidates = [w.end for w in words] + [r.end for r in redirects]
            cmd = Command(
                words=tuple(words[idx:]),
                prefix=tuple(words[:idx]),
                prefixes=tuple(prefixes),
                assignments=tuple(assigns),
                redirects=tuple(redirects),
                op=op,
                start=min(start_candidates),
                end=max(end_candidates),
                depth=depth,
                script=script,
            )
            for r_i, r in enumerate(redirects):
                if r.op.lstrip("0123456789") in ("<<", "<<-"):
                    body_targets.append((len(out), r_i))
            out.append(cmd)
            group_closed = False
        elif op and (group_closed and out):
            out[-1] = _with_op(out[-1], op)
            group_closed = False
        words = []
        redirects = []

    for tok in tokenize(text):
        if tok.kind == "heredoc":
            if body_targets:
                ci, ri = body_targets.pop(0)
                cmd = out[ci]
                reds = list(cmd.redirects)
                r = reds[ri]
                reds[ri] = Redirect(r.op, r.target, r.start, r.end, tok.text)
                out[ci] = _replace_redirects(cmd, tuple(reds))
            continue
        if in_case:
            if tok.kind == "word" and tok.text == "esac":
                in_case = False
            continue
        if tok.kind == "word":
            if pending_redirect is not None:
                redirects.append(Redirect(pending_redirect.text, tok.text, pending_redirect.start, tok.end))
                pending_redirect = None
                continue
            if skip_until_sep:
                continue
            if not words:
                if tok.text in _SKIP_WORDS and tok.raw == tok.text:
                    if tok.text == "}":
                        depth = max(0, depth - 1)
                        group_closed = True
                    elif tok.text == "{":
                        depth += 1
                    continue
                if tok.text in ("for", "select") and tok.raw == tok.text:
                    skip_until_sep = True
                    continue
                if tok.text == "case" and tok.raw == tok.text:
                    in_case = True
                    continue
            words.append(Word(tok.text, tok.raw, tok.start, tok.end))
            continue
        op = tok.text
        if op.lstrip("0123456789") in _REDIRECT_OPS:
            pending_redirect = tok
            continue
        if op == "(":
            finish("")
            depth += 1
            continue
        if op == ")":
            finish("")
            depth = max(0, depth - 1)
            group_closed = True
            continue
        if op in _SEPARATORS:
            skip_until_sep = False
            norm = ";" if op in ("\n", ";;", ";&", ";;&") else op
            if not words and not redirects and not group_closed:
                continue
            finish(norm)
    finish("")
    return tuple(out)


def _with_op(cmd: Command, op: str) -> Command:
    return Command(
        cmd.words,
        cmd.prefix,
        cmd.prefixes,
        cmd.assignments,
        cmd.redirects,
        op,
        cmd.start,
        cmd.end,
        cmd.depth,
        cmd.script,
    )


def _replace_redirects(cmd: Command, redirects: tuple[Redirect, ...]) -> Command:
    return Command(
        cmd.words,
        cmd.prefix,
        cmd.prefixes,
        cmd.assignments,
        redirects,
        cmd.op,
        cmd.start,
        cmd.end,
        cmd.depth,
        cmd.script,
    )


def chains(cmds: Sequence[Command]) -> list[list[Command]]:
    """Group commands into pipelines (runs joined by ``|``/``|&``)."""
    out: list[list[Command]] = []
    current: list[Command] = []
    for c in cmds:
        current.append(c)
        if c.op not in ("|", "|&"):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


# ---- layout: blanks and list operators (used by the renderer) -----------------------------------------

_LAYOUT_OPS = frozenset({"&&", "||", ";"})
_BLANK_RUN = re.compile(r"[ \t]+")


def layout_tokens(text: str) -> list[tuple[str, str]]:
    """The renderer's view of shell text, from :func:`tokenize`: ``("word", text)``, ``("blank", " ")`` and
    ``("op", "&&"|"||"|";")`` tokens.

    Words keep their text as written, quotes and escapes included, with the blank runs of their unquoted
    ``$(...)``/``${...}`` (``blank_runs`` of :func:`tokenize`) made one space. Inside a subshell ``( ... )`` or a group ``{ ...; }`` everything is
    one word (blanks made one space); the list operators are split at only outside them. What the tokenizer
    skips between tokens (blanks, comments, line continuations) is kept, its blank runs made one blank.
    """
    out: list[tuple[str, str]] = []
    buf: list[str] = []
    depth = 0

    def flush() -> None:
        if buf:
            out.append(("word", "".join(buf)))
            buf.clear()

    def gap(start: int, end: int) -> None:
        pos = start
        for m in _BLANK_RUN.finditer(text, start, end):
            if m.start() > pos:
                buf.append(text[pos : m.start()])
            if depth > 0:
                buf.append(" ")
            else:
                flush()
                if not out or out[-1][0] != "blank":
                    out.append(("blank", " "))
            pos = m.end()
        if pos < end:
            buf.append(text[pos:end])

    runs: list[tuple[int, int]] = []
    tokens = tokenize(text, runs)
    run = 0  # the next blank run inside a word
    pos = 0
    for tok in tokens:
        gap(pos, tok.start)
        pos = tok.end
        raw = text[tok.start : tok.end]
        if tok.kind == "op":
            if depth == 0 and raw in _LAYOUT_OPS:
                flush()
                out.append(("op", raw))
                continue
            if depth == 0 and raw == ";&":  # bash case fall-through: `;` ends the line, `&` starts the next
                flush()
                out.append(("op", ";"))
                buf.append("&")
                continue
            if raw == "(":
                depth += 1
            elif raw == ")" and depth > 0:
                depth -= 1
            buf.append(raw)
            continue
        if tok.kind == "word":
            if raw == "{":
                depth += 1
            elif raw == "}" and depth > 0:
                depth -= 1
        if run < len(runs) and runs[run][0] < tok.end:  # blanks inside its $(...) / ${...}: one space each
            at = tok.start
            while run < len(runs) and runs[run][0] < tok.end:
                b_start, b_end = runs[run]
                buf.append(text[at:b_start])
                buf.append(" ")
                at = b_end
                run += 1
            raw = text[at : tok.end]
        buf.append(raw)
    gap(pos, len(text))
    flush()
    return out


def collapse_blanks(text: str) -> str:
    """Shell text with every run of blanks outside quotes made one space, and no leading/trailing blanks."""
    return "".join(t for _, t in layout_tokens(text)).strip(" ")


def split_commands(text: str) -> list[str]:
    """The lines of a split shell command: ``["a", "&& b", "|| c"]``; ``;`` stays at the end of its line."""
    lines: list[str] = []
    lead = ""
    current: list[str] = []

    def close(trailer: str = "") -> None:
        body = "".join(current).strip(" ") + trailer
        if body:
            lines.append(f"{lead} {body}" if lead else body)

    for kind, tok in layout_tokens(text):
        if kind == "op":
            if tok == ";":
                close(";")
                lead = ""
            else:
                close()
                lead = tok
            current = []
        else:
            current.append(tok)
    close()
    return [line for line in lines if line]
