"""Recognising package installs in a RUN: the commands an ``Apt``/``Apk``/``Pip``/``Npm`` helper expands to
become that helper (what ``dockgen import`` writes instead of a plain ``Run``)."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from dockgen import ir
from dockgen.models import (
    Apk,
    Apt,
    Npm,
    Pip,
    Run,
)
from dockgen.shell.syntax import Command, collapse_blanks, commands

__all__ = ["helper_steps", "lone_apt_update", "package_steps"]


# ---- recognisers ------------------------------------------------------------------------------
#
# A RUN whose commands are exactly what a helper expands to (up to what the optimizer adds anyway: the list
# cleanup, --no-cache-dir, npm's cache clean) becomes the helper; a recognised install at the start of an
# `&&` chain becomes the helper plus a Run of the rest. Anything else stays a plain Run.

_APT_YES = frozenset({"-y", "--yes", "--assume-yes", "-qy", "-yq", "-qqy", "-yqq"})
_APT_QUIET = frozenset({"-q", "-qq", "--quiet"})
_LISTS_RM = ("rm", "-rf", "/var/lib/apt/lists/*")
_PKG_RE = re.compile(r"[A-Za-z0-9@_][A-Za-z0-9@_.+:/~<>=!*,\[\]^-]*")


def _words(cmd: Command) -> list[str] | None:
    """The argv of a plain command (no redirections, wrappers or quoting that changed the text)."""
    if cmd.redirects or cmd.prefixes or cmd.depth:
        return None
    return [w.text for w in cmd.words]


def _apt_install(cmd: Command) -> tuple[list[str], bool] | None:
    """(packages, recommends) of ``apt-get install -y [--no-install-recommends] pkgs``, else None."""
    words = _words(cmd)
    if words is None or cmd.assignments not in ((), (("DEBIAN_FRONTEND", "noninteractive"),)):
        return None
    if len(words) < 3 or words[0] not in ("apt-get", "apt") or words[1] != "install":
        return None
    yes = False
    recommends = True
    pkgs: list[str] = []
    for w in words[2:]:
        if w in _APT_YES:
            yes = True
        elif w == "--no-install-recommends":
            recommends = False
        elif w in _APT_QUIET:
            continue
        elif w.startswith("-") or not _PKG_RE.fullmatch(w):
            return None
        else:
            pkgs.append(w)
    return (pkgs, recommends) if yes and pkgs else None


def _is(cmd: Command, *argv: str) -> bool:
    return _words(cmd) == list(argv) and not cmd.assignments


def _is_apt_update(cmd: Command) -> bool:
    words = _words(cmd)
    return not cmd.assignments and words in (
        ["apt-get", "update"],
        ["apt", "update"],
        ["apt-get", "-q", "update"],
    )


def _apt_step(cmds: list[Command], update_before: bool) -> tuple[Apt, int] | None:
    """An Apt helper for the first commands of ``cmds``, and how many commands it covers."""
    i = 0
    update = update_before
    if i < len(cmds) and _is_apt_update(cmds[i]):
        update, i = True, i + 1
    if i >= len(cmds):
        return None
    found = _apt_install(cmds[i])
    if found is None:
        return None
    i += 1
    while i < len(cmds) and (_is(cmds[i], *_LISTS_RM) or _is(cmds[i], "apt-get", "clean")):
        i += 1
    pkgs, recommends = found
    try:
        return Apt(packages=pkgs, recommends=recommends, update=update), i
    except ValueError:
        return None


def _apk_step(cmds: list[Command]) -> tuple[Apk, int] | None:
    words = _words(cmds[0])
    if words is None or cmds[0].assignments or words[:3] != ["apk", "add", "--no-cache"]:
        return None
    pkgs = words[3:]
    if not pkgs or any(p.startswith("-") or not _PKG_RE.fullmatch(p) for p in pkgs):
        return None
    try:
        return Apk(packages=pkgs), 1
    except ValueError:
        return None


def _pip_step(cmds: list[Command]) -> tuple[Pip, int] | None:
    i = 0
    venv: tuple[str, str] | None = None
    first = _words(cmds[0])
    if (
        first is not None
        and len(cmds) > 1
        and len(first) == 4
        and first[0] in ("python3", "python")
        and first[1:3] == ["-m", "venv"]
        and first[3].startswith("/")
        and not cmds[0].assignments
    ):
        venv, i = (first[0], first[3].rstrip("/")), 1
    words = _words(cmds[i])
    if words is None or cmds[i].assignments or "install" not in words:
        return None
    at = words.index("install")
    pip = " ".join(words[:at])
    if pip not in ("pip", "pip3", "python3 -m pip", "python -m pip") and not (
        at == 1 and posixpath.basename(words[0]) in ("pip", "pip3") and words[0].startswith("/")
    ):
        return None
    reqs: list[str] = []
    pkgs: list[str] = []
    rest = words[at + 1 :]
    j = 0
    while j < len(rest):
        w = rest[j]
        if w in ("-r", "--requirement") and j + 1 < len(rest):
            reqs.append(rest[j + 1])
            j += 2
            continue
        if w == "--no-cache-dir":
            pass
        elif w.startswith("-") or not _PKG_RE.fullmatch(w) or w.startswith((".", "/")) or "/" in w:
            return None
        else:
            pkgs.append(w)
        j += 1
    data: dict[str, Any] = {"packages": pkgs, "requirements": reqs}
    if venv is not None:
        if pip != f"{venv[1]}/bin/pip":
            return None
        data["venv"], data["python"] = venv[1], venv[0]
    elif pip != "pip":
        data["pip"] = pip
    try:
        return Pip(**data), i + 1
    except ValueError:
        return None


def _npm_step(cmds: list[Command]) -> tuple[Npm, int] | None:
    words = _words(cmds[0])
    if words is None or cmds[0].assignments or words[:1] != ["npm"]:
        return None
    if words[1:] in (["ci"], ["ci", "--omit=dev"], ["install"], ["install", "--omit=dev"]):
        n = 1
        if len(cmds) > 1 and _is(cmds[1], "npm", "cache", "clean", "--force"):
            n = 2
        return Npm(ci=words[1] == "ci", omit_dev="--omit=dev" in words), n
    return None


_APT_USERS = frozenset(
    {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download"}
)


def _relies_on_lists(ins: ir.IRInstruction) -> bool:
    """A RUN that installs with apt without updating the lists first."""
    if ins.keyword != "RUN":
        return False
    words = [[w.text for w in c.words] for c in commands(ins.command)]
    apt = [w for w in words if w and w[0] in ("apt-get", "apt")]
    return any(_APT_USERS & set(w) for w in apt) and not any("update" in w for w in apt)


def package_steps(
    ins: ir.IRInstruction, later: list[ir.IRInstruction], update_before: bool
) -> list[Any] | None:
    """Helper (+ Run of the rest) for a recognised package install in ``ins``, or None to keep it a Run.

    ``later``: the following instructions of the stage (an apt install there that relies on these package
    lists keeps the Run); ``update_before``: the previous RUN was a lone ``apt-get update`` (merged here).
    """
    if ins.keyword != "RUN" or ins.flags or ins.heredocs or ins.is_exec or not ins.args:
        return None
    text = ins.args[0]
    cmds = list(commands(text))
    if not cmds or any(c.op not in ("&&", "") for c in cmds) or "#" in text or "\\" in text:
        return None
    found: tuple[Any, int] | None = None
    head = cmds[0].words[0].text if cmds[0].words else ""
    if head in ("apt-get", "apt"):
        found = _apt_step(cmds, update_before)
        if found is not None and any(_relies_on_lists(x) for x in later):
            return None  # a later install relies on these lists: the helper would remove them
    elif head == "apk":
        found = _apk_step(cmds)
    elif head == "npm":
        found = _npm_step(cmds)
    else:
        found = _pip_step(cmds)
    if found is None:
        return None
    helper, n = found
    if update_before and not isinstance(helper, Apt):
        return None
    if n == len(cmds):
        return [helper]
    rest = cmds[n:]
    if any(c.words and c.words[0].text in ("apt-get", "apt") for c in rest):
        return None
    tail = text[rest[0].start :].strip()
    return [helper, Run(command=collapse_blanks(tail))]


def lone_apt_update(ins: ir.IRInstruction) -> bool:
    if ins.keyword != "RUN" or ins.flags or ins.heredocs or ins.is_exec or not ins.args:
        return False
    cmds = commands(ins.args[0])
    return len(cmds) == 1 and _is_apt_update(cmds[0])


def helper_steps(instructions: tuple[ir.IRInstruction, ...], idx: int) -> list[Any] | None:
    """Helper steps for ``instructions[idx]`` (for a lone ``apt-get update``: with the next RUN), or None."""
    later: list[ir.IRInstruction] = []
    for nxt in instructions[idx + 1 :]:
        if nxt.keyword == "FROM":
            break
        later.append(nxt)
    ins = instructions[idx]
    if lone_apt_update(ins):
        if not later or later[0].keyword != "RUN":
            return None
        steps = package_steps(later[0], later[1:], True)
        return steps if steps and isinstance(steps[0], Apt) else None
    return package_steps(ins, later, False)
