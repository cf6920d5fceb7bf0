"""Reading a command's argument vector: flags (clusters, ``--name=value``), subcommands, operands, and the
program a command really runs (``python3 -m pip`` is pip)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dockgen.shell.syntax import Command, Word

__all__ = ["flag_word", "has_flag", "operands", "program", "subcommand"]


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
