"""DG154: ``useradd`` with a high UID and without ``-l``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, Fix, InstructionRule, LintContext, Replace, Severity
from dockgen.shell import Command, Word, has_flag, run_commands


def insert_words(ins: Instruction, inserts: list[tuple[int, str]]) -> Instruction:
    """A shell-form RUN whose command text gets `` addition`` inserted at each offset (offsets in ``args[0]``)."""
    text = ins.args[0]
    for offset, addition in sorted(inserts, reverse=True):
        text = text[:offset] + " " + addition + text[offset:]
    return dataclasses.replace(ins, args=(text,))


def editable(cmd: Command, ins: Instruction) -> bool:
    """Whether ``cmd`` sits in the RUN's own shell-form text (not a heredoc or exec form), so it can be edited."""
    return cmd.script == -1 and ins.form == "shell" and bool(ins.args) and cmd.start >= 0


def uid_of(cmd: Command) -> str | None:
    """The ``-u``/``--uid`` value of a useradd command."""
    words = cmd.words
    for i, w in enumerate(words[1:], start=1):
        t = w.text
        if t in ("-u", "--uid"):
            return words[i + 1].text if i + 1 < len(words) else None
        if t.startswith("--uid="):
            return t.split("=", 1)[1]
        if t.startswith("-u") and len(t) > 2 and not t.startswith("--"):
            return t[2:]
    return None


def useradd_word(cmd: Command) -> Word | None:
    return cmd.words[0] if cmd.words and cmd.name == "useradd" else None


class UseraddWithoutNoLogInit(InstructionRule):
    """
    ## What it does
    Flags `useradd` with a UID of more than five digits and without `-l` (`--no-log-init`).

    ## Why is this bad?
    `useradd` reserves space in `/var/log/lastlog` and `/var/log/faillog` proportional to the UID. The files
    are sparse on disk but not in an image layer: a UID like 1000000 adds hundreds of megabytes. `-l` skips
    those databases, which containers do not use. The fix inserts `-l`.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --uid 1000000 app
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd -l --uid 1000000 app
    ```

    ## References
    - hadolint DL3046
    - https://docs.docker.com/build/building/best-practices/#user
    """

    code = "DG154"
    name = "useradd-without-no-log-init"
    severity = Severity.WARNING
    message = "useradd with a high UID and without -l"
    fixable = "safe"
    equivalents = ("DL3046",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        hits: list[tuple[Command, Word]] = []
        for cmd in run_commands(ins):
            word = useradd_word(cmd)
            if word is None or has_flag(cmd, "-l", "--no-log-init"):
                continue
            uid = uid_of(cmd)
            if uid is not None and uid.isdigit() and len(uid) > 5:
                hits.append((cmd, word))
        if not hits:
            return
        fix = None
        if all(editable(cmd, ins) for cmd, _ in hits):
            new = insert_words(ins, [(w.end, "-l") for _, w in hits])
            fix = Fix("add -l to useradd", (Replace(targets=(ins,), replacement=(new,)),))
        yield self.finding(ins, "useradd with a high UID and without -l bloats the image: add -l", fix=fix)
