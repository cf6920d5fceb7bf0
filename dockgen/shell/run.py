"""What a ``RUN`` (or ``CMD``/``ENTRYPOINT``) instruction executes: its shell scripts and their commands,
heredoc scripts run by a shell, and the text it writes into files."""

from __future__ import annotations

from dockgen._record import record
from dockgen.ir import Heredoc, IRInstruction
from dockgen.shell.syntax import SHELLS, Command, Script, Word, chains, commands, see_through

__all__ = [
    "FileWrite",
    "cache_mount_covers",
    "file_writes",
    "is_shell_heredoc",
    "run_commands",
    "scripts",
    "shell_form_text",
]


def is_shell_heredoc(ins: IRInstruction, heredoc: Heredoc) -> bool:
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


def scripts(ins: IRInstruction) -> tuple[Script, ...]:
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
        idx, prefixes, assigns = see_through(list(words))
        cmd = Command(words[idx:], words[:idx], tuple(prefixes), tuple(assigns), (), "", -1, -1, 0, -2)
        return (Script(-2, " ".join(items), (cmd,) if items else ()),)
    main = ins.args[0] if ins.args else ""
    out = [Script(-1, main, commands(main, -1))]
    for i, h in enumerate(ins.heredocs):
        if ins.keyword == "RUN" and is_shell_heredoc(ins, h):
            out.append(Script(i, h.body, commands(h.body, i)))
    return tuple(out)


def run_commands(ins: IRInstruction) -> tuple[Command, ...]:
    """Every simple command of a RUN (or CMD/ENTRYPOINT) across its scripts, in order."""
    if not ins.heredocs and not ins.is_exec:
        return commands(ins.args[0] if ins.args else "", -1)
    out: list[Command] = []
    for s in scripts(ins):
        out.extend(s.commands)
    return tuple(out)


@record(frozen=True, slots=True)
class FileWrite:
    """Text an instruction writes into files: ``text`` (``echo``/``printf`` arguments with ``\\n``/``\\t``
    decoded, or a here-document body) and ``targets`` (redirection targets, ``tee`` operands, or the
    destination of ``COPY <<EOF dest``)."""

    text: str
    targets: tuple[str, ...]


_WRITE_OPS = frozenset({">", ">>", ">|", "&>", "&>>"})


def _decode_escapes(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def file_writes(ins: IRInstruction) -> tuple[FileWrite, ...]:
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


def shell_form_text(ins: IRInstruction) -> str | None:
    """The editable command text of a shell-form RUN (``args[0]``), None for exec form or heredocs."""
    if ins.is_exec or ins.heredocs or not ins.args:
        return None
    return ins.args[0]


def cache_mount_covers(ins: IRInstruction, path: str) -> bool:
    """True when a ``--mount=type=cache`` (or tmpfs) of ``ins`` covers ``path`` (same dir or a parent)."""
    want = path.rstrip("/") or "/"
    for m in ins.mounts:
        if m.get("type") not in ("cache", "tmpfs"):
            continue
        target = (m.get("target") or "").rstrip("/") or "/"
        if want == target or want.startswith(target + "/") or target == "/":
            return True
    return False
