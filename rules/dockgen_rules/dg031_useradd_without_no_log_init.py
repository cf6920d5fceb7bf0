"""DG031: useradd with a high UID and without -l."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import insert_after
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import flag_word
from dockgen.shell.run import run_commands, shell_form_text

_VALUE = "bcdefgGkKpsuUZ"


def _uid(words: list[str]) -> str | None:
    for i, w in enumerate(words):
        if w in ("-u", "--uid") and i + 1 < len(words):
            return words[i + 1]
        if w.startswith("--uid="):
            return w.split("=", 1)[1]
        if w.startswith("-u") and len(w) > 2 and not w.startswith("--"):
            return w[2:]
    return None


class UseraddWithoutNoLogInit(InstructionRule):
    """
    ## What it does
    Flags `useradd` with a UID of six digits or more (`-u 100000`) and without `-l`/`--no-log-init`, and fixes
    it by adding `-l` after `useradd`. The fix is safe: `-l` only skips the lastlog/faillog records.

    ## Why is this bad?
    `useradd` writes the user's entry into `/var/log/lastlog` and `/var/log/faillog` at the offset of the UID.
    These are sparse files, but image layers are not: a high UID produces gigabytes of zeros in the layer.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd -u 123456 app
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd -l -u 123456 app
    ```

    ## References
    - hadolint DL3046
    - https://docs.docker.com/build/building/best-practices/#user
    """

    code = "DG031"
    name = "useradd-without-no-log-init"
    severity = Severity.WARNING
    message = "useradd with a high UID without -l creates a huge layer"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3046",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        text = shell_form_text(ins)
        for cmd in run_commands(ins):
            if cmd.name != "useradd":
                continue
            uid = _uid([w.text for w in cmd.args])
            if uid is None or not uid.isdigit() or len(uid) <= 5:
                continue
            if flag_word(cmd, "-l", "--no-log-init", value_flags=_VALUE) is not None:
                continue
            fix = None
            if text is not None and cmd.script == -1:
                new = insert_after(text, cmd.words[0].end, "-l")
                fix = command_fix("add -l to useradd", ins, new)
            yield self.finding(
                ins, f"useradd -u {uid} without -l writes a huge sparse log into the layer", fix=fix
            )
            return
