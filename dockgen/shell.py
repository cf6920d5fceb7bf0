"""A small, fast POSIX shell reader for lint rules.

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

:func:`commands` is cached, so many rules can ask for the same text cheaply. :func:`run_commands` gives the
commands of a ``RUN`` instruction, including heredoc scripts that are run by a shell. :func:`env_before`
tracks ``ENV``/``ARG`` values in effect at an instruction (inherited through ``FROM <stage>``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from dockgen.ir import Dockerfile, FromInfo, Heredoc, Instruction, Stage, expand, variable_references

__all__ = [
    "PLATFORM_ARGS",
    "SHELLS",
    "Command",
    "FileWrite",
    "Redirect",
    "Script",
    "Word",
    "append_command",
    "base_image",
    "cache_mount_covers",
    "chains",
    "commands",
    "env_before",
    "file_writes",
    "find_install",
    "flag_word",
    "global_arg_defaults",
    "has_flag",
    "insert_after",
    "is_shell_heredoc",
    "lineage",
    "manager_subcommand",
    "operands",
    "pip_cache_disabled",
    "posix_shell",
    "program",
    "run_commands",
    "scripts",
    "shell_form_text",
    "ships",
    "stage_shell",
    "subcommand",
    "tokenize",
    "truthy",
    "with_command",
]

#: Program names that are POSIX-ish shells.
SHELLS: frozenset[str] = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})

_REDIRECT_OPS: tuple[str, ...] = ("&>>", "<<-", "<<<", ">>", "<<", ">&", "<&", ">|", "<>", "&>", "<", ">")
_CONTROL_OPS: tuple[str, ...] = (";;&", ";;", "&&", "||", "|&", ";&", "|", "&", ";", "(", ")", "\n")
_OP_CHARS = frozenset("|&;<>()\n")
_BLANKS = frozenset(" \t\r")
_SEPARATORS = frozenset({"&&", "||", ";", ";;", ";&", ";;&", "|", "|&", "&", "\n"})
_SKIP_WORDS = frozenset({"{", "}", "!", "if", "then", "else", "elif", "fi", "do", "done", "while", "until"})
_SIMPLE_PREFIXES = frozenset({"nohup", "exec", "time", "command", "builtin"})
_SUDO_VALUE_OPTS = frozenset("ugpCDrtUTh")
_IDENT_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_IDENT = _IDENT_START | frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word: ``text`` with quotes removed (no expansion), ``raw`` as written, offsets in the text."""

    text: str
    raw: str
    start: int
    end: int

    @property
    def quoted(self) -> bool:
        return self.raw != self.text


@dataclass(frozen=True, slots=True)
class Redirect:
    """A redirection: operator (``>``, ``2>&``, ``<<``, ...), its target word, and a here-document body."""

    op: str
    target: str
    start: int
    end: int
    body: str | None = None


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "word" or "op"
    text: str
    raw: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Script:
    """One shell text of a RUN: ``index`` -1 is the instruction's own command text (shell form), ``i >= 0``
    is ``ins.heredocs[i]`` run as a script, -2 is the exec form (no offsets usable for edits)."""

    index: int
    text: str
    commands: tuple[Command, ...] = field(default=())


# ---- tokenizer ------------------------------------------------------------------------------------------


def _scan_dollar(text: str, i: int, n: int) -> int:
    """``text[i]`` is ``$``; return the index after a ``$(...)``, ``$((...))`` or ``${...}``, else ``i + 1``."""
    if i + 1 >= n:
        return i + 1
    nxt = text[i + 1]
    if nxt not in "({":
        return i + 1
    close = ")" if nxt == "(" else "}"
    depth = 0
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "'" and close == ")":
            k = text.find("'", j + 1)
            j = n if k < 0 else k + 1
            continue
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


def _word(text: str, i: int, n: int) -> tuple[int, str]:
    """Scan one word from ``i``; return (end, unquoted text)."""
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
            k = _scan_dollar(text, j, n)
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


def tokenize(text: str) -> list[Token]:
    """Words and operators of ``text``; comments dropped; here-document bodies become ``heredoc`` tokens."""
    tokens: list[Token] = []
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
            k = _scan_dollar(text, i, n)
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
        end, unq = _word(text, i, n)
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


def _see_through(words: list[Word]) -> tuple[int, list[str], list[tuple[str, str]]]:
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
            idx, prefixes, assigns = _see_through(words)
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


# ---- RUN instructions -----------------------------------------------------------------------------------


def is_shell_heredoc(ins: Instruction, heredoc: Heredoc) -> bool:
    """True when ``heredoc`` of a RUN is executed by a shell (``RUN <<EOF``, ``RUN bash <<EOF``).

    A body with a ``#!`` line naming a non-shell interpreter, and a heredoc fed to another program
    (``RUN python3 <<EOF``, ``RUN cat <<EOF > file``), are not shell.
    """
    first = heredoc.body.lstrip("\n").split("\n", 1)[0]
    if first.startswith("#!"):
        interp = first[2:].strip().split()
        names = [p.rsplit("/", 1)[-1] for p in interp]
        if names and names[0] == "env" and len(names) > 1:
            names = names[1:]
        return bool(names) and names[0] in SHELLS
    if ins.is_exec:
        return False
    main = " ".join(ins.args)
    for cmd in commands(main):
        for red in cmd.redirects:
            if red.op.lstrip("0123456789") in ("<<", "<<-") and red.target == heredoc.name:
                if not cmd.words:
                    return True
                return cmd.name in SHELLS and not any(w.text == "-c" for w in cmd.args)
    return False


def scripts(ins: Instruction) -> tuple[Script, ...]:
    """The shell texts a RUN instruction executes, each with its commands.

    Shell form: the command text (index -1) and every heredoc run by a shell (index = heredoc position).
    Exec form: one :class:`Script` with index -2 (``["sh", "-c", "..."]`` is parsed as shell; other exec
    forms give one command built from the JSON items, with offsets -1).
    """
    if ins.keyword != "RUN" and ins.keyword not in ("CMD", "ENTRYPOINT"):
        return ()
    if ins.is_exec:
        items = ins.args
        if (
            len(items) >= 3
            and items[0].rsplit("/", 1)[-1] in SHELLS
            and items[1] in ("-c", "-ec", "-ex", "-exc")
        ):
            return (Script(-2, items[2], commands(items[2], -2)),)
        words = tuple(Word(a, a, -1, -1) for a in items)
        idx, prefixes, assigns = _see_through(list(words))
        cmd = Command(words[idx:], words[:idx], tuple(prefixes), tuple(assigns), (), "", -1, -1, 0, -2)
        return (Script(-2, " ".join(items), (cmd,) if items else ()),)
    main = ins.args[0] if ins.args else ""
    out = [Script(-1, main, commands(main, -1))]
    for i, h in enumerate(ins.heredocs):
        if ins.keyword == "RUN" and is_shell_heredoc(ins, h):
            out.append(Script(i, h.body, commands(h.body, i)))
    return tuple(out)


def run_commands(ins: Instruction) -> tuple[Command, ...]:
    """Every simple command of a RUN (or CMD/ENTRYPOINT) across its scripts, in order."""
    if not ins.heredocs and not ins.is_exec:
        return commands(ins.args[0] if ins.args else "", -1)
    out: list[Command] = []
    for s in scripts(ins):
        out.extend(s.commands)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class FileWrite:
    """Text an instruction writes into files: ``text`` (``echo``/``printf`` arguments with ``\\n``/``\\t``
    decoded, or a here-document body) and ``targets`` (redirection targets, ``tee`` operands, or the
    destination of ``COPY <<EOF dest``)."""

    text: str
    targets: tuple[str, ...]


_WRITE_OPS = frozenset({">", ">>", ">|", "&>", "&>>"})


def _decode_escapes(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def file_writes(ins: Instruction) -> tuple[FileWrite, ...]:
    """What ``ins`` writes into files with ``echo``/``printf``/``cat <<EOF`` and ``>``/``>>``/``tee``
    (``RUN``), or with a here-document source (``COPY``/``ADD <<EOF dest``). One entry per pipeline that both
    produces text and writes it somewhere; text that only goes to stdout is ignored."""
    if ins.keyword in ("COPY", "ADD"):
        if not ins.heredocs or len(ins.args) < 2:
            return ()
        dest = ins.args[-1]
        sources = {a[2:].lstrip("-").strip("'\"") for a in ins.args[:-1] if a.startswith("<<")}
        return tuple(
            FileWrite(h.body, (dest.rstrip("/") + "/" + h.name if dest.endswith("/") else dest,))
            for h in ins.heredocs
            if h.name in sources
        )
    if ins.keyword != "RUN":
        return ()
    bodies = {h.name: h.body for h in ins.heredocs}
    out: list[FileWrite] = []
    for pipeline in chains(run_commands(ins)):
        texts: list[str] = []
        targets: list[str] = []
        for cmd in pipeline:
            if cmd.name in ("echo", "printf"):
                texts.append(_decode_escapes(" ".join(w.text for w in cmd.args)))
            if cmd.name == "tee":
                targets.extend(w.text for w in cmd.args if not w.text.startswith("-"))
            for red in cmd.redirects:
                op = red.op.lstrip("0123456789")
                if op in _WRITE_OPS and not red.target.startswith("&") and red.target != "/dev/null":
                    targets.append(red.target)
                elif op in ("<<", "<<-", "<<<"):
                    body = red.body if red.body is not None else bodies.get(red.target)
                    texts.append(body if body is not None else red.target)
        if texts and targets:
            out.append(FileWrite("\n".join(texts), tuple(targets)))
    return tuple(out)


# ---- flags, subcommands, operands -----------------------------------------------------------------------


def _end_of_options(words: Sequence[Word]) -> int:
    for i, w in enumerate(words):
        if w.text == "--":
            return i
    return len(words)


def has_flag(cmd: Command, *names: str, value_flags: str = "", start: int = 1) -> bool:
    """True when any of ``names`` is given to ``cmd``.

    Long names (``--yes``) match ``--yes`` and ``--yes=...``; a short name (``-y``) also matches inside a
    cluster (``-qy``, ``-yq``) up to the first letter in ``value_flags`` (options taking a value, whose rest
    is the value: with ``value_flags="o"``, ``-oAPT::y`` does not contain ``-y``). Words after ``--`` are
    operands and never match. Multi-letter names with one dash (``-qqy``) match exactly.
    """
    return flag_word(cmd, *names, value_flags=value_flags, start=start) is not None


def flag_word(cmd: Command, *names: str, value_flags: str = "", start: int = 1) -> Word | None:
    """The first word of ``cmd`` carrying one of ``names`` (see :func:`has_flag`), or None."""
    words = cmd.words
    stop = _end_of_options(words)
    longs = [n for n in names if n.startswith("--")]
    shorts = {n[1] for n in names if len(n) == 2 and n[0] == "-" and n[1] != "-"}
    exact = {n for n in names if n.startswith("-") and not n.startswith("--") and len(n) > 2}
    for w in words[start:stop]:
        t = w.text
        if not t.startswith("-") or t == "-":
            continue
        if t.startswith("--"):
            for ln in longs:
                if t == ln or t.startswith(ln + "="):
                    return w
            continue
        if t in exact:
            return w
        for ch in t[1:]:
            if ch in shorts:
                return w
            if ch in value_flags or not (ch.isalpha() or ch.isdigit()):
                break
    return None


def subcommand(cmd: Command, value_options: Iterable[str] = (), *, start: int = 1) -> tuple[int, Word] | None:
    """The first operand of ``cmd`` from ``start`` (``install`` in ``apt-get -q install x``), with its index.

    ``value_options`` are options that take the next word as their value (``-o``, ``--target``); an option
    written ``--name=value`` never consumes the next word.
    """
    takes = frozenset(value_options)
    words = cmd.words
    i = start
    while i < len(words):
        t = words[i].text
        if t == "--":
            return (i + 1, words[i + 1]) if i + 1 < len(words) else None
        if t.startswith("-") and t != "-":
            if t in takes:
                i += 2
                continue
            i += 1
            continue
        return i, words[i]
    return None


def operands(cmd: Command, start: int, value_options: Iterable[str] = ()) -> list[Word]:
    """Non-option words of ``cmd`` from index ``start`` (option values of ``value_options`` skipped)."""
    takes = frozenset(value_options)
    out: list[Word] = []
    words = cmd.words
    i = start
    only_operands = False
    while i < len(words):
        t = words[i].text
        if only_operands:
            out.append(words[i])
        elif t == "--":
            only_operands = True
        elif t.startswith("-") and t != "-":
            if t in takes:
                i += 1
        else:
            out.append(words[i])
        i += 1
    return out


_PYTHONS = ("python", "pypy")


def program(cmd: Command) -> tuple[str, int]:
    """The program a command runs and the index of its first argument.

    ``python3 -m pip install`` -> ``("pip", 3)``; ``pip3.12 install`` -> ``("pip", 1)``;
    ``/usr/bin/apt-get install`` -> ``("apt-get", 1)``. pip spellings (``pip3``, ``pip3.12``) become ``pip``.
    """
    name = cmd.name
    words = cmd.words
    if name.startswith(_PYTHONS) and len(words) >= 3:
        i = 1
        while i < len(words) and words[i].text.startswith("-") and words[i].text != "-m":
            i += 1
        if i + 1 < len(words) and words[i].text == "-m":
            return _normalise(words[i + 1].text), i + 2
        if i < len(words) and words[i].text.startswith("-m") and len(words[i].text) > 2:
            return _normalise(words[i].text[2:]), i + 1
    return _normalise(name), 1


def _normalise(name: str) -> str:
    if name.startswith("pip") and all(c.isdigit() or c == "." for c in name[3:]):
        return "pip"
    return name


#: Install-like subcommands per package manager.
_INSTALL_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "apt-get": frozenset({"install"}),
    "apt": frozenset({"install"}),
    "aptitude": frozenset({"install"}),
    "apk": frozenset({"add"}),
    "pip": frozenset({"install"}),
    "npm": frozenset(
        {"install", "i", "add", "isntall", "in", "ins", "inst", "insta", "instal", "isnt", "isnta"}
    ),
    "yarn": frozenset({"add", "install"}),
    "pnpm": frozenset({"add", "install", "i"}),
    "gem": frozenset({"install", "i"}),
    "go": frozenset({"install", "get"}),
    "yum": frozenset({"install", "groupinstall", "localinstall"}),
    "dnf": frozenset({"install", "groupinstall", "localinstall"}),
    "microdnf": frozenset({"install"}),
    "zypper": frozenset({"install", "in"}),
    "cargo": frozenset({"install"}),
    "conda": frozenset({"install"}),
}


def _opts(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Global options taking a value, per manager (to find the subcommand after them).
VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "apt-get": _opts("-o -c -t --option --config-file --target-release --default-release"),
    "apt": _opts("-o -c -t --option --config-file --target-release --default-release"),
    "apk": _opts(
        "-X --repository -p --root --arch --cache-dir --keys-dir -t --virtual --repositories-file --cache-max-age --timeout"
    ),
    "pip": _opts(
        "-r --requirement -c --constraint -e --editable -t --target -i --index-url --extra-index-url -f --find-links --trusted-host --root --prefix --cache-dir --platform --python-version --implementation --abi --src --upgrade-strategy --progress-bar --log --proxy --retries --timeout --exists-action --cert --client-cert --no-binary --only-binary --config-settings -C --global-option --report --python --keyring-provider --use-feature --use-deprecated"
    ),
    "npm": _opts(
        "--prefix --registry --cache --userconfig -C -w --workspace --tag --omit --include --loglevel"
    ),
    "yarn": _opts("--cwd --cache-folder --registry --modules-folder --network-timeout"),
    "pnpm": _opts("-C --dir --filter -F --registry --store-dir"),
    "gem": _opts(
        "-v --version -i --install-dir -n --bindir -s --source --platform -P --trust-policy --build-root"
    ),
    "go": _opts(
        "-C -ldflags -gcflags -tags -o -mod -modfile -p -buildmode -compiler -asmflags -pkgdir -toolexec -overlay -pgo"
    ),
    "yum": _opts(
        "-c --config --installroot --enablerepo --disablerepo -x --exclude --releasever --setopt -d -e --downloaddir --color"
    ),
    "dnf": _opts(
        "-c --config --installroot --enablerepo --disablerepo -x --exclude --releasever --setopt -d -e --downloaddir --color --repo --repoid --forcearch"
    ),
    "microdnf": _opts("--config --installroot --enablerepo --disablerepo --releasever --setopt"),
    "zypper": _opts("-r --repo --root -R -c --config -D --reposd-dir -C --cache-dir -t --type --from -p"),
}


def manager_subcommand(cmd: Command) -> tuple[str, int, Word] | None:
    """(manager, index of the subcommand word, the word) for a package-manager command, else None."""
    prog, first = program(cmd)
    if prog not in _INSTALL_SUBCOMMANDS and prog not in VALUE_OPTIONS:
        return None
    found = subcommand(cmd, VALUE_OPTIONS.get(prog, ()), start=first)
    if found is None:
        return None
    return prog, found[0], found[1]


def find_install(cmds: Iterable[Command], manager: str) -> list[tuple[Command, int]]:
    """Commands of ``cmds`` that install packages with ``manager`` (``apt-get``, ``apk``, ``pip``, ``npm``,
    ``yarn``, ``gem``, ``go``, ``yum``, ``dnf``, ``microdnf``, ``zypper``...), each with the index of its
    install subcommand word (``install``/``add``...)."""
    subs = _INSTALL_SUBCOMMANDS.get(manager, frozenset({"install"}))
    out: list[tuple[Command, int]] = []
    for cmd, found in _manager_subcommands(cmds):
        if found is None or found[0] != manager:
            continue
        if found[2].text in subs:
            out.append((cmd, found[1]))
    return out


#: ``id(commands)`` -> (the commands, their manager subcommands). Rules ask :func:`find_install` about the
#: same (cached, immutable) command tuple for one manager after another; each command is looked at once.
_SUBCOMMANDS: dict[int, tuple[tuple[Command, ...], list[tuple[Command, tuple[str, int, Word] | None]]]] = {}


def _manager_subcommands(cmds: Iterable[Command]) -> list[tuple[Command, tuple[str, int, Word] | None]]:
    if not isinstance(cmds, tuple):
        return [(cmd, manager_subcommand(cmd)) for cmd in cmds]
    hit = _SUBCOMMANDS.get(id(cmds))
    if hit is not None and hit[0] is cmds:
        return hit[1]
    found = [(cmd, manager_subcommand(cmd)) for cmd in cmds]
    if len(_SUBCOMMANDS) >= 8192:
        _SUBCOMMANDS.clear()
    _SUBCOMMANDS[id(cmds)] = (cmds, found)  # holding the tuple keeps its id from being reused
    return found


def insert_after(text: str, offset: int, addition: str) -> str:
    """``text`` with ``addition`` inserted at ``offset`` (a word end), separated by one space."""
    return text[:offset] + " " + addition + text[offset:]


# ---- environment ----------------------------------------------------------------------------------------


def add_option(text: str | None, places: Sequence[tuple[Command, int]], option: str) -> str | None:
    """``text`` with ``option`` inserted after word ``index`` of each ``(command, index)`` of ``places``.

    None when there is no editable text (see :func:`shell_form_text`) or a command is inside a heredoc script.
    """
    if text is None or any(cmd.script != -1 for cmd, _ in places):
        return None
    for cmd, index in sorted(places, key=lambda p: -p[0].words[p[1]].end):
        text = insert_after(text, cmd.words[index].end, option)
    return text


def env_before(df: Dockerfile, ins: Instruction) -> dict[str, str]:
    """ENV and ARG values in effect just before ``ins`` in its stage (unquoted, no expansion).

    A stage built ``FROM`` another stage of the same file inherits that stage's ENV (not its ARGs, as in
    BuildKit). A valueless ``ARG NAME`` maps to its global default when there is one, else ''. ONBUILD
    triggers are ignored.
    """
    stage = df.stage_of(ins)
    position = df.position(ins)
    if stage is None or position is None:
        return {}
    if position < 0:  # the FROM itself: what the whole stage defines
        position = len(stage.instructions)
    cursors: dict[int, _EnvCursor] = df.memo.setdefault("env_before", {})
    cursor = cursors.get(stage.index)
    if cursor is None or cursor.position > position:
        cursor = cursors[stage.index] = _EnvCursor(dict(_inherited_env(df, stage)))
    globals_ = _global_arg_values(df)
    items = stage.instructions
    while cursor.position < position:
        _apply_env(items[cursor.position], cursor.env, cursor.args, globals_)
        cursor.position += 1
    merged = dict(cursor.args)
    merged.update(cursor.env)
    return merged


@dataclass
class _EnvCursor:
    """ENV and ARG values after the first ``position`` instructions of a stage. Rules ask about a stage's
    instructions in order, so each query only applies the instructions since the previous one."""

    env: dict[str, str]
    args: dict[str, str] = field(default_factory=dict)
    position: int = 0


def _global_arg_values(df: Dockerfile) -> dict[str, str]:
    found: dict[str, str] | None = df.memo.get("global_arg_values")
    if found is None:
        found = {}
        for g in df.global_args:
            if g.keyword == "ARG":
                found.update(g.env_dict())
        df.memo["global_arg_values"] = found
    return found


def _apply_env(
    item: Instruction, env: dict[str, str], args: dict[str, str], globals_: dict[str, str]
) -> None:
    if item.keyword == "ENV":
        env.update(item.env_dict())
    elif item.keyword == "ARG":
        for kv in item.pairs:
            if kv.value is None:
                args[kv.key] = globals_.get(kv.key, "")
            else:
                args[kv.key] = kv.unquoted or ""


def _inherited_env(df: Dockerfile, stage: Stage) -> dict[str, str]:
    """The ENV a stage starts with: everything its parent stage (``FROM <stage>``) ends with (not its ARGs)."""
    parent = df.stage_by_ref(stage.base)
    if parent is None or parent.index >= stage.index:
        return {}
    ends: dict[int, dict[str, str]] = df.memo.setdefault("stage_end_env", {})
    found = ends.get(parent.index)
    if found is None:
        found = dict(_inherited_env(df, parent))
        globals_ = _global_arg_values(df)
        for item in parent.instructions:
            _apply_env(item, found, {}, globals_)
        ends[parent.index] = found
    return found


# ---- helpers shared by rules ----------------------------------------------------------------------------


def shell_form_text(ins: Instruction) -> str | None:
    """The editable command text of a shell-form RUN (``args[0]``), None for exec form or heredocs."""
    if ins.is_exec or ins.heredocs or not ins.args:
        return None
    return ins.args[0]


def with_command(ins: Instruction, text: str) -> Instruction:
    """A copy of a shell-form RUN with its command text replaced (span, comments, flags kept)."""
    return replace(ins, args=(text,))


def cache_mount_covers(ins: Instruction, path: str) -> bool:
    """True when a ``--mount=type=cache`` (or tmpfs) of ``ins`` covers ``path`` (same dir or a parent)."""
    want = path.rstrip("/") or "/"
    for m in ins.mounts:
        if m.get("type") not in ("cache", "tmpfs"):
            continue
        target = (m.get("target") or "").rstrip("/") or "/"
        if want == target or want.startswith(target + "/") or target == "/":
            return True
    return False


def posix_shell(df: Dockerfile, ins: Instruction) -> bool:
    """False when the stage of ``ins`` switched to a non-POSIX shell with SHELL (PowerShell, cmd)."""
    if df.stage_of(ins) is None:
        return True
    shell = _shells_before(df).before[id(ins)]
    return (
        shell is None
        or shell[0].rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower().removesuffix(".exe") in SHELLS
    )


@dataclass(frozen=True)
class _Shells:
    """The SHELL in effect before every instruction of every stage (None: the default; a stage's FROM gets its
    stage's last SHELL), and each stage's last SHELL. Computed once per file."""

    before: dict[int, tuple[str, ...] | None]
    last: list[tuple[str, ...] | None]


def _shells_before(df: Dockerfile) -> _Shells:
    found = df.memo.get("shells_before")
    if isinstance(found, _Shells):
        return found
    before: dict[int, tuple[str, ...] | None] = {}
    last: list[tuple[str, ...] | None] = []
    for stage in df.stages:
        current: tuple[str, ...] | None = None
        for item in stage.instructions:
            before[id(item)] = current
            if item.keyword == "SHELL" and item.args:
                current = item.args
        before[id(stage.from_)] = current
        last.append(current)
    shells = df.memo["shells_before"] = _Shells(before, last)
    return shells


def truthy(value: str | None) -> bool:
    """How pip and most tools read a boolean environment variable (``1``, ``true``, ``yes``, ``on``).

    ``PIP_NO_CACHE_DIR`` is special (see :func:`pip_cache_disabled`).
    """
    return value is not None and value.strip().lower() in ("1", "true", "yes", "on", "y")


def pip_cache_disabled(env: dict[str, str]) -> bool:
    """True when ``PIP_NO_CACHE_DIR`` disables pip's cache.

    pip reads ``PIP_NO_CACHE_DIR`` through its boolean option parser: ``1``/``true``/``yes``/``on`` disable
    the cache, and, for historical reasons, so do ``0``/``false``/``off``/``no`` (pip's ``--no-cache-dir``
    callback ignores the value); only an empty value leaves the cache on.
    """
    value = env.get("PIP_NO_CACHE_DIR")
    return value is not None and value.strip() != ""


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


def stage_chain(df: Dockerfile, stage: Stage) -> list[Stage]:
    """``stage`` and the stages of the same file it is built ``FROM``, nearest first."""
    chain = [stage]
    current = stage
    while True:
        parent = df.stage_by_ref(current.base)
        if parent is None or parent.index >= current.index:
            return chain
        chain.append(parent)
        current = parent


def inherited_instructions(df: Dockerfile, stage: Stage) -> list[Instruction]:
    """Instructions of the parent stages of ``stage`` (oldest first), not the stage's own."""
    out: list[Instruction] = []
    for parent in reversed(stage_chain(df, stage)[1:]):
        out.extend(parent.instructions)
    return out


def lineage(df: Dockerfile, stage_index: int) -> frozenset[int]:
    """Indexes of ``stage_index`` and every stage it is built ``FROM`` (its layers ship with it)."""
    if not 0 <= stage_index < len(df.stages):
        return frozenset()
    known: dict[int, frozenset[int]] = df.memo.setdefault("lineage", {})
    found = known.get(stage_index)
    if found is None:
        found = known[stage_index] = frozenset(s.index for s in stage_chain(df, df.stages[stage_index]))
    return found


def ships(df: Dockerfile, ins: Instruction, final_index: int | None) -> bool:
    """True when the layer of ``ins`` ends up in the image built from stage ``final_index``.

    Instructions of builder stages (not in the final stage's ``FROM`` lineage) are thrown away, so cleanup
    rules need not bother there. ONBUILD triggers and instructions outside any stage count as shipping.
    """
    stage = df.stage_of(ins)
    if stage is None or final_index is None:
        return True
    return stage.index in lineage(df, final_index)


def stage_shell(df: Dockerfile, ins: Instruction) -> tuple[str, ...] | None:
    """The SHELL in effect for ``ins`` (following ``FROM <stage>`` parents), None for the default."""
    stage = df.stage_of(ins)
    if stage is None:
        return None
    shells = _shells_before(df)
    for s in stage_chain(df, stage):
        current = shells.before[id(ins)] if s is stage else shells.last[s.index]
        if current is not None:
            return current
    return None


#: ARGs BuildKit defines automatically in the global scope (values for a typical linux/amd64 build).
PLATFORM_ARGS: dict[str, str] = {
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
}


def global_arg_defaults(df: Dockerfile) -> dict[str, str | None]:
    """Global ARGs (before the first FROM) and their defaults (None when declared without one)."""
    out: dict[str, str | None] = {}
    for g in df.global_args:
        if g.keyword == "ARG":
            for kv in g.pairs:
                out[kv.key] = kv.unquoted
    return out


def base_image(df: Dockerfile, index: int) -> str | None:
    """The image a stage is built FROM, global ARG defaults expanded.

    None when the stage is built from an earlier stage of the file, from ``scratch``, or when a variable has
    no default (the real value is only known at build time).
    """
    stage = df.stages[index]
    raw = stage.base
    if raw.lower() == "scratch":
        return None
    earlier = df.stage_by_ref(raw)
    if earlier is not None and earlier.index < index:
        return None
    if "$" not in raw:
        return raw
    defaults = global_arg_defaults(df)
    env = {k: v for k, v in defaults.items() if v is not None}
    for name in variable_references(raw):
        if name not in env and name not in PLATFORM_ARGS:
            return None
    value = expand(raw, {**PLATFORM_ARGS, **env})
    if value.lower() == "scratch":
        return None
    earlier = df.stage_by_ref(value)
    if earlier is not None and earlier.index < index:
        return None
    return value or None


def external_bases(df: Dockerfile) -> Iterator[tuple[Stage, FromInfo]]:
    """Each stage built FROM an image known before the build (see :func:`base_image`), with its parts."""
    for stage in df.stages:
        image = base_image(df, stage.index)
        if image is not None:
            yield stage, FromInfo(image=image, name=None, platform=None)


def append_command(text: str, cmd: Command, addition: str) -> str | None:
    """``text`` with `` && addition`` right after ``cmd`` (a command of ``text``), or None when that could
    change the meaning (``cmd`` is in a pipe, a subshell, behind ``||`` or in the background)."""
    if cmd.script != -1 or cmd.depth != 0 or cmd.op not in ("&&", ";", ""):
        return None
    return text[: cmd.end] + " && " + addition + text[cmd.end :]
