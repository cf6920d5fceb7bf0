"""Dockerfile text -> IR, faithful to BuildKit's Dockerfile parser.

What BuildKit does, and so what this does:

* Parser directives (``# syntax=``, ``# escape=``, ``# check=``) only at the very top; the first comment, empty
  line or instruction ends them. ``escape`` must be ``\\`` or a backtick. A directive given twice is an error.
* Line continuations: the escape character followed only by blanks at the end of a line joins the next line
  *directly* (no separator; the indentation of the next line is kept). Comment lines and empty lines inside a
  continuation are dropped (empty ones are recorded: BuildKit warns about them).
* Heredocs (RUN, COPY, ADD in shell form): every ``<<NAME``, ``<<-NAME``, ``<<"NAME"``, ``<<'NAME'`` word opens
  one; bodies follow the instruction's line in order, each ended by a line that is exactly ``NAME`` (after
  leading tabs for ``<<-``).
* RUN/CMD/ENTRYPOINT: a valid JSON array of strings is exec form; anything else (invalid JSON included) is shell
  form. COPY/ADD/VOLUME: JSON array or words. ENV/LABEL: ``k=v`` words or the legacy ``k v`` form. ARG:
  ``name`` or ``name=value`` words. SHELL must be JSON. HEALTHCHECK: ``NONE`` or ``CMD ...`` with options.
* Flags (``--name=value``, ``--name``) are read before the arguments, with quotes and escapes processed; a bare
  ``--`` ends them.
* Keywords are case-insensitive (the written casing is kept in ``Instruction.original``).

Input: ``str`` or ``bytes``. Bytes are decoded as UTF-8 (a BOM is dropped); invalid UTF-8 sequences are kept via
``surrogateescape`` so that autofix writes back the very same bytes. Binary input (NUL bytes) is refused.
Everything is linear in the input size.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from dockgen._record import record
from dockgen._static import TYPE_CHECKING
from dockgen.errors import ParseError
from dockgen.ir import (
    KEYWORDS,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    IRInstruction,
    KeyValue,
    Span,
)

if TYPE_CHECKING:
    import json

    from dockgen.ir import Form

__all__ = ["decode", "parse_bytes", "parse_file", "parse_text"]

_DIRECTIVE_RE = re.compile(r"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$")
_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_HEREDOC_RE = re.compile(r"^(\d*)<<(-?)(.+)$")
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
_WS = " \t\r\n\v\f"
_KEYWORD_RE = re.compile(r"([^ \t\r\n\v\f]+)")
_SPLIT_RE = re.compile(r"[ \t\r\n\v\f]+")


def _fields(text: str) -> list[str]:
    return [w for w in _SPLIT_RE.split(text) if w]


@record(slots=True)
class _Line:
    text: str  # without the newline (and without a trailing \r)
    start: int  # offset of the first character
    number: int  # 1-based


def decode(data: bytes, path: str | None = None) -> str:
    """Decode Dockerfile bytes: UTF-8 (BOM dropped), undecodable bytes kept as surrogate escapes."""
    probe = data[:8192]
    if b"\x00" in probe:
        raise ParseError(
            "this is a binary file, not a Dockerfile (it contains NUL bytes)",
            file=path,
            line=probe[: probe.index(b"\x00")].count(b"\n") + 1,
            hint="point dockgen at a Dockerfile",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="surrogateescape")


def parse_file(path: str | Path) -> Dockerfile:
    """Read and parse a Dockerfile from disk."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", file=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise ParseError("is a directory, not a Dockerfile", file=str(path)) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return parse_text(decode(data, str(path)), str(path))


def parse_bytes(data: bytes, path: str | None = None) -> Dockerfile:
    return parse_text(decode(data, path), path)


def parse_text(text: str, path: str | None = None) -> Dockerfile:
    """Parse Dockerfile text into the IR. Raises :class:`ParseError` (file:line:col) on malformed input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        raise ParseError(
            "this is a binary file, not a Dockerfile (it contains NUL bytes)",
            file=path,
            line=text.count("\n", 0, nul) + 1,
            hint="point dockgen at a Dockerfile",
        )
    return _Parser(text, path).run()


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos, n, number = 0, len(text), 1
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        body_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        lines.append(_Line(text[pos:body_end], pos, number))
        number += 1
        pos = end + 1
    return lines


class _Parser:
    def __init__(self, text: str, path: str | None) -> None:
        self.text = text
        self.path = path
        self.lines = _split_lines(text)
        self.escape = "\\"
        self.directives: list[Directive] = []
        self.comments: list[Comment] = []
        self.instructions: list[IRInstruction] = []

    # ---- errors ---------------------------------------------------------------------------------------
    def error(
        self, message: str, line: int, column: int | None = None, hint: str | None = None
    ) -> ParseError:
        return ParseError(message, file=self.path, line=line, column=column, hint=hint)

    # ---- driver ---------------------------------------------------------------------------------------
    def run(self) -> Dockerfile:
        i = self._directives()
        cont = re.compile(re.escape(self.escape) + r"[ \t]*$")
        pending: list[Comment] = []
        lines = self.lines
        n = len(lines)
        while i < n:
            line = lines[i]
            stripped = line.text.lstrip(_WS)
            if not stripped:
                pending = []
                i += 1
                continue
            if stripped.startswith("#"):
                c = self._comment(line)
                self.comments.append(c)
                pending.append(c)
                i += 1
                continue
            i = self._instruction(i, cont, tuple(pending))
            pending = []
        if not self.instructions:
            raise ParseError(
                "file with no instructions", file=self.path, line=1, hint="a Dockerfile needs at least a FROM"
            )
        return Dockerfile(
            instructions=tuple(self.instructions),
            directives=tuple(self.directives),
            comments=tuple(self.comments),
            path=self.path,
            source=self.text,
            escape=self.escape,
        )

    def _comment(self, line: _Line) -> Comment:
        lead = len(line.text) - len(line.text.lstrip(_WS))
        body = line.text[lead + 1 :]
        if body.startswith(" "):
            body = body[1:]
        span = Span(
            self.path,
            line.number,
            line.number,
            lead + 1,
            len(line.text) + 1,
            line.start + lead,
            line.start + len(line.text),
        )
        return Comment(body, span)

    def _directives(self) -> int:
        seen: set[str] = set()
        i = 0
        for i, line in enumerate(self.lines):
            m = _DIRECTIVE_RE.match(line.text)
            if not m:
                return i
            name, value = m.group(1).lower(), m.group(2)
            if name not in _KNOWN_DIRECTIVES:
                # Looks like a directive but is not one: BuildKit treats it as a comment and stops here.
                return i
            if name in seen:
                raise self.error(
                    f"only one {name!r} parser directive can be used", line.number, 1, "remove the duplicate"
                )
            seen.add(name)
            if name == "escape":
                if value not in ("\\", "`"):
                    raise self.error(
                        f"invalid escape directive value {value!r}",
                        line.number,
                        1,
                        "use `# escape=\\` (default) or `# escape=`` (backtick)",
                    )
                self.escape = value
            span = Span(
                self.path,
                line.number,
                line.number,
                1,
                len(line.text) + 1,
                line.start,
                line.start + len(line.text),
            )
            self.directives.append(Directive(name, value, span))
        else:
            return len(self.lines)

    # ---- instructions ---------------------------------------------------------------------------------
    def _instruction(self, i: int, cont: re.Pattern[str], comments: tuple[Comment, ...]) -> int:
        lines = self.lines
        first = lines[i]
        lead = len(first.text) - len(first.text.lstrip(_WS))
        parts: list[str] = []
        empty_lines: list[int] = []
        last = first
        text = first.text[lead:]
        # Join continuation lines exactly as BuildKit does.
        while True:
            m = cont.search(text)
            if m is None:
                parts.append(text)
                break
            parts.append(text[: m.start()])
            i += 1
            # skip comment and empty lines inside the continuation
            while i < len(lines):
                s = lines[i].text.lstrip(_WS)
                if not s:
                    empty_lines.append(lines[i].number)
                    i += 1
                elif s.startswith("#"):
                    self.comments.append(self._comment(lines[i]))
                    i += 1
                else:
                    break
            if i >= len(lines):
                break
            last = lines[i]
            text = last.text
        i += 1
        logical = "".join(parts).lstrip(_WS)
        if not logical:  # only line continuations: nothing to parse
            return i
        m = _KEYWORD_RE.match(logical)
        assert m is not None
        word = m.group(1)
        keyword = word.upper()
        col = lead + 1
        if keyword not in KEYWORDS:
            from difflib import get_close_matches  # only for the error message

            guess = get_close_matches(keyword, sorted(KEYWORDS), n=1)
            raise self.error(
                f"unknown instruction: {word}",
                first.number,
                col,
                f"did you mean {guess[0]}?" if guess else "see https://docs.docker.com/reference/dockerfile/",
            )
        rest = logical[m.end() :].lstrip(_WS)

        heredocs: tuple[Heredoc, ...] = ()
        if keyword in _HEREDOC_KEYWORDS:
            names = self._heredoc_markers(rest)
            if names:
                bodies: list[Heredoc] = []
                for name, strip_tabs, expand, quote in names:
                    content: list[str] = []
                    while True:
                        if i >= len(lines):
                            raise self.error(
                                f"heredoc <<{'-' if strip_tabs else ''}{name} is never terminated",
                                first.number,
                                col,
                                f"end the here-document with a line containing only {name}",
                            )
                        body_line = lines[i]
                        i += 1
                        check = body_line.text.lstrip("\t") if strip_tabs else body_line.text
                        if check == name:
                            last = body_line
                            break
                        content.append(body_line.text + "\n")
                        last = body_line
                    bodies.append(Heredoc(name, "".join(content), strip_tabs, expand, quote))
                heredocs = tuple(bodies)

        end_offset = last.start + len(last.text)
        span = Span(
            self.path,
            first.number,
            last.number,
            col,
            len(last.text) + 1,
            first.start + lead,
            end_offset,
        )
        try:
            ins = self._build(keyword, word, rest, span, first.number, col, heredocs)
        except _NotStrings as exc:
            raise self.error(str(exc), first.number, col, 'quote every item: ["cmd", "arg"]') from None
        if comments or empty_lines:
            from dockgen._record import replace

            ins = replace(ins, comments=comments, empty_continuation_lines=tuple(empty_lines))
        self.instructions.append(ins)
        return i

    def _heredoc_markers(self, rest: str) -> list[tuple[str, bool, bool, str]]:
        if "<<" not in rest:
            return []
        try:
            _, body = _extract_flags(rest, self.escape)
        except ValueError:
            return []
        if body.lstrip().startswith("["):
            try:
                if isinstance(_json_decoder().decode(body), list):
                    return []
            except ValueError:
                pass
        out: list[tuple[str, bool, bool, str]] = []
        for w in _words(body, self.escape):
            m = _HEREDOC_RE.match(w)
            if not m:
                continue
            raw = m.group(3)
            quote = ""
            if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
                quote = raw[0]
                name = raw[1:-1]
            elif "'" in raw or '"' in raw:
                quote = '"'
                name = raw.replace('"', "").replace("'", "")
            else:
                name = raw
            if not name or "<" in name:
                continue
            out.append((name, m.group(2) == "-", quote == "", quote))
        return out

    def _build(
        self,
        keyword: str,
        original: str,
        rest: str,
        span: Span,
        line: int,
        col: int,
        heredocs: tuple[Heredoc, ...],
    ) -> IRInstruction:
        esc = self.escape
        flags: tuple[Flag, ...] = ()
        if keyword != "ONBUILD":
            try:
                raw_flags, rest = _extract_flags(rest, esc)
            except ValueError as exc:
                raise self.error(str(exc), line, col) from None
            flags = tuple(_flag(f) for f in raw_flags)
            bad = [f for f in flags if not f.name]
            if bad:
                raise self.error(f"{keyword}: empty flag name", line, col)

        def need(cond: bool, what: str) -> None:
            if not cond:
                raise self.error(
                    f"{keyword} {what}",
                    line,
                    col,
                    f"see https://docs.docker.com/reference/dockerfile/#{keyword.lower()}",
                )

        rest = rest.strip(_WS)
        kw = dict(keyword=keyword, original=original, span=span, flags=flags)
        form: Form
        if keyword in ("RUN", "CMD", "ENTRYPOINT"):
            if keyword == "RUN":
                need(bool(rest) or bool(heredocs), "requires at least one argument")
            items = _json_array(rest)
            if items is not None and not heredocs:
                return IRInstruction(args=tuple(items), form="exec", **kw)  # type: ignore[arg-type]
            form = "shell"
            return IRInstruction(args=(rest,) if rest else (), form=form, heredocs=heredocs, **kw)  # type: ignore[arg-type]
        if keyword in ("COPY", "ADD", "VOLUME"):
            items = _json_array(rest) if not heredocs else None
            if items is not None:
                args = tuple(items)
                form = "exec"
            else:
                # BuildKit splits these on blanks only; quotes are handled later, word by word
                args = tuple(_fields(rest))
                form = "words"
            if keyword == "VOLUME":
                need(len(args) >= 1, "requires at least one argument")
            else:
                need(
                    len(args) >= 2 or (bool(heredocs) and len(args) >= 1),
                    "requires at least two arguments (source and destination)",
                )
            return IRInstruction(args=args, form=form, heredocs=heredocs, **kw)  # type: ignore[arg-type]
        if keyword == "SHELL":
            items = _json_array(rest)
            need(
                items is not None, 'requires the arguments to be in JSON form, e.g. SHELL ["/bin/bash", "-c"]'
            )
            assert items is not None
            need(len(items) >= 1, "requires at least one argument")
            return IRInstruction(args=tuple(items), form="exec", **kw)  # type: ignore[arg-type]
        if keyword in ("ENV", "LABEL"):
            need(bool(rest), "requires at least one argument")
            pairs, legacy = self._name_values(keyword, rest, line, col)
            return IRInstruction(pairs=pairs, legacy=legacy, **kw)  # type: ignore[arg-type]
        if keyword == "ARG":
            need(bool(rest), "requires at least one argument")
            arg_pairs: list[KeyValue] = []
            for w in _words(rest, esc):
                k, sep, v = w.partition("=")
                if not k:
                    raise self.error(
                        f"ARG: empty name in {w!r}", line, col, "write ARG NAME or ARG NAME=default"
                    )
                arg_pairs.append(KeyValue(k, v if sep else None))
            return IRInstruction(pairs=tuple(arg_pairs), **kw)  # type: ignore[arg-type]
        if keyword == "FROM":
            words = _fields(rest)
            need(len(words) in (1, 3), "requires either one or three arguments: FROM image [AS name]")
            if len(words) == 3 and words[1].upper() != "AS":
                raise self.error(f"FROM: expected AS before the stage name, got {words[1]!r}", line, col)
            return IRInstruction(args=tuple(words), **kw)  # type: ignore[arg-type]
        if keyword == "EXPOSE":
            words = _fields(rest)
            need(len(words) >= 1, "requires at least one argument")
            return IRInstruction(args=tuple(words), **kw)  # type: ignore[arg-type]
        if keyword == "HEALTHCHECK":
            need(bool(rest), "requires an argument: NONE or CMD <command>")
            head, _, tail = rest.partition(" ")
            typ = head.upper()
            tail = tail.strip(_WS)
            if typ == "NONE":
                need(not tail, "NONE takes no arguments")
                need(not flags, "NONE takes no options")
                return IRInstruction(args=("NONE",), **kw)  # type: ignore[arg-type]
            if typ != "CMD":
                raise self.error(
                    f"unknown type {head!r} in HEALTHCHECK",
                    line,
                    col,
                    "try HEALTHCHECK CMD <command> or HEALTHCHECK NONE",
                )
            need(bool(tail), "CMD requires a command")
            items = _json_array(tail)
            if items is not None:
                sub = IRInstruction(keyword="CMD", original=head, args=tuple(items), form="exec", span=span)
            else:
                sub = IRInstruction(keyword="CMD", original=head, args=(tail,), form="shell", span=span)
            return IRInstruction(sub=sub, **kw)  # type: ignore[arg-type]
        if keyword == "ONBUILD":
            need(bool(rest), "requires an instruction to trigger")
            m = _KEYWORD_RE.match(rest)
            assert m is not None
            sub_word = m.group(1)
            sub_kw = sub_word.upper()
            if sub_kw not in KEYWORDS:
                raise self.error(f"ONBUILD: unknown instruction: {sub_word}", line, col)
            # ONBUILD FROM / ONBUILD / MAINTAINER are parsed (the build rejects them): lint rule DG145 reports
            # them with the rest of the file's findings instead of stopping at a parse error.
            if sub_kw == "ONBUILD":
                inner = rest[m.end() :].lstrip(_WS)
                sub_ins = IRInstruction(keyword="ONBUILD", original=sub_word, args=(inner,), span=span)
            else:
                sub_ins = self._build(sub_kw, sub_word, rest[m.end() :].lstrip(_WS), span, line, col, ())
            return IRInstruction(sub=sub_ins, **kw)  # type: ignore[arg-type]
        # WORKDIR, USER, STOPSIGNAL, MAINTAINER: the whole rest is one string
        need(bool(rest), "requires exactly one argument")
        return IRInstruction(args=(rest,), **kw)  # type: ignore[arg-type]

    def _name_values(self, keyword: str, rest: str, line: int, col: int) -> tuple[tuple[KeyValue, ...], bool]:
        words = _words(rest, self.escape)
        if words and "=" not in words[0]:
            # legacy `ENV key value` form: key is the first word, value is the rest of the line
            parts = re.split(r"[ \t]+", rest, maxsplit=1)
            if len(parts) < 2 or not parts[1].strip():
                raise self.error(
                    f"{keyword} {parts[0]!r} has no value",
                    line,
                    col,
                    f"write {keyword} {parts[0]}=value",
                )
            return (KeyValue(parts[0], parts[1].strip(_WS)),), True
        pairs: list[KeyValue] = []
        for w in words:
            k, sep, v = w.partition("=")
            if not sep:
                raise self.error(
                    f"{keyword}: can't find = in {w!r}; must be of the form name=value",
                    line,
                    col,
                    "quote values with spaces",
                )
            if not k:
                raise self.error(f"{keyword}: empty name in {w!r}", line, col)
            pairs.append(KeyValue(k, v))
        return tuple(pairs), False


# ---- lexical helpers ------------------------------------------------------------------------------------


@cache
def _json_decoder() -> json.JSONDecoder:
    """One JSON decoder, made on first use: a file without exec-form instructions never imports json."""
    import json

    return json.JSONDecoder()


class _NotStrings(ValueError):
    pass


def _json_array(text: str) -> list[str] | None:
    """The items of a JSON array of strings, or None when ``text`` is not JSON (BuildKit's fallback rule).

    A valid JSON array holding anything but strings is an error, as in BuildKit.
    """
    if not text.startswith("["):
        return None
    try:
        # Like Go's json.Decoder, BuildKit reads the first JSON value and ignores whatever follows it.
        value, _ = _json_decoder().raw_decode(text)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(x, str) for x in value):
        raise _NotStrings("when using JSON array syntax, arrays must be comprised of strings only")
    return value


def _words(text: str, escape: str = "\\") -> list[str]:
    """Split on blanks outside quotes; quotes and escapes are kept in the words (BuildKit's parseWords)."""
    words: list[str] = []
    buf: list[str] = []
    quote = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            buf.append(ch)
            if ch == escape and quote == '"' and i + 1 < n:
                buf.append(text[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in _WS:
            if buf:
                words.append("".join(buf))
                buf = []
        else:
            buf.append(ch)
            if ch == escape and i + 1 < n:
                buf.append(text[i + 1])
                i += 2
                continue
            if ch in "'\"":
                quote = ch
        i += 1
    if buf:
        words.append("".join(buf))
    return words


def _extract_flags(line: str, escape: str = "\\") -> tuple[list[str], str]:
    """Read leading ``--flag`` words (quotes removed, escapes processed); return them and the rest."""
    words: list[str] = []
    pos, n = 0, len(line)
    while True:
        while pos < n and line[pos] in _WS:
            pos += 1
        if pos + 1 >= n or line[pos] != "-" or line[pos + 1] != "-":
            return words, line[pos:]
        buf: list[str] = []
        quote = ""
        blank_ok = False
        while pos < n:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == escape and pos + 1 < n:
                    pos += 1
                    buf.append(line[pos])
                else:
                    buf.append(ch)
            elif ch in _WS:
                break
            elif ch in "'\"":
                quote = ch
                blank_ok = True
            elif ch == escape and pos + 1 < n:
                pos += 1
                buf.append(line[pos])
            else:
                buf.append(ch)
            pos += 1
        if quote:
            raise ValueError(f"unterminated quote in flag {''.join(buf)!r}")
        word = "".join(buf)
        if word == "--":
            return words, line[pos:].lstrip(_WS)
        if word or blank_ok:
            words.append(word)


def _flag(word: str) -> Flag:
    body = word[2:] if word.startswith("--") else word
    name, sep, value = body.partition("=")
    return Flag(name, value if sep else None)
