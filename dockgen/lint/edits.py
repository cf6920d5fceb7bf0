"""Building fixes: minimal edits of a shell-form command text (insert an option after a word, append a
command), a RUN instruction with its command text replaced, and the map from an instruction's logical text
(as the parser reads it) back to source offsets."""

from __future__ import annotations

from collections.abc import Sequence

from dockgen._record import replace
from dockgen.ir import IRInstruction
from dockgen.shell.syntax import Command

__all__ = ["add_option", "append_command", "insert_after", "logical_map", "with_command"]


def insert_after(text: str, offset: int, addition: str) -> str:
    """``text`` with ``addition`` inserted at ``offset`` (a word end), separated by one space."""
    return text[:offset] + " " + addition + text[offset:]


def add_option(text: str | None, places: Sequence[tuple[Command, int]], option: str) -> str | None:
    """``text`` with ``option`` inserted after word ``index`` of each ``(command, index)`` of ``places``.

    None when there is no editable text (see :func:`shell_form_text`) or a command is inside a heredoc script.
    """
    if text is None or any(cmd.script != -1 for cmd, _ in places):
        return None
    for cmd, index in sorted(places, key=lambda p: -p[0].words[p[1]].end):
        text = insert_after(text, cmd.words[index].end, option)
    return text


def with_command(ins: IRInstruction, text: str) -> IRInstruction:
    """A copy of a shell-form RUN with its command text replaced (span, comments, flags kept)."""
    return replace(ins, args=(text,))


def append_command(text: str, cmd: Command, addition: str) -> str | None:
    """``text`` with `` && addition`` right after ``cmd`` (a command of ``text``), or None when that could
    change the meaning (``cmd`` is in a pipe, a subshell, behind ``||`` or in the background)."""
    if cmd.script != -1 or cmd.depth != 0 or cmd.op not in ("&&", ";", ""):
        return None
    return text[: cmd.end] + " && " + addition + text[cmd.end :]


def logical_map(src: str, start: int, end: int, escape: str = "\\") -> tuple[str, list[int]]:
    """The logical text of ``src[start:end]`` as the parser sees it, with each character's source offset.

    Escape-newline continuations are removed (the next line joins directly) and comment/empty lines inside a
    continuation are dropped; after the instruction's last continued line, further lines (heredoc bodies) are
    kept with their newlines.
    """
    chars: list[str] = []
    offsets: list[int] = []
    pos = start
    continuing = False
    first = True
    in_body = False
    while pos < end:
        nl = src.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        line = src[pos:line_end]
        body = line[:-1] if line.endswith("\r") else line
        if not first and continuing and (not body.strip() or body.lstrip().startswith("#")):
            pos = line_end + 1
            continue
        stripped = body.rstrip(" \t")
        if not in_body and stripped.endswith(escape) and not stripped.endswith(escape * 2):
            keep = len(stripped) - 1
            continuing = True
        else:
            keep = len(body)
            continuing = False
        for k in range(keep):
            chars.append(body[k])
            offsets.append(pos + k)
        if not continuing:
            in_body = True
            if nl >= 0 and line_end < end:
                chars.append("\n")
                offsets.append(line_end)
        first = False
        pos = line_end + 1
    return "".join(chars), offsets
