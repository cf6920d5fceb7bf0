"""DG034: apt (the interactive front end) in a RUN."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import subcommand
from dockgen.shell.packages import VALUE_OPTIONS
from dockgen.shell.run import run_commands, shell_form_text

#: apt subcommands with an apt-get equivalent of the same behaviour.
SAME_IN_APT_GET = {
    "install": "install", "remove": "remove", "purge": "purge", "update": "update", "autoremove": "autoremove",
    "clean": "clean", "autoclean": "autoclean", "full-upgrade": "dist-upgrade", "dist-upgrade": "dist-upgrade",
    "build-dep": "build-dep", "source": "source", "download": "download",
}  # fmt: skip


class AptInsteadOfAptGet(InstructionRule):
    """
    ## What it does
    Flags `apt` commands in `RUN` and fixes the ones with an `apt-get` twin (`install`, `remove`, `purge`,
    `update`, `autoremove`, `clean`, `full-upgrade` -> `dist-upgrade`, ...) by writing `apt-get`. The fix is
    safe: both tools install the same packages. `apt upgrade` (which also installs new dependencies, unlike
    `apt-get upgrade`), `apt list`/`show`/`search` are reported without a fix.

    ## Why is this bad?
    `apt` is meant for people at a terminal: its output and command-line interface may change between
    releases and it warns "apt does not have a stable CLI interface" in scripts.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt update && apt install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## References
    - hadolint DL3027, Checkov CKV_DOCKER_9
    """

    code = "DG034"
    name = "apt-instead-of-apt-get"
    severity = Severity.WARNING
    message = "use apt-get instead of apt in scripts"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3027", "CKV_DOCKER_9")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        text = shell_form_text(ins)
        edits: list[tuple[int, int, str]] = []
        found = False
        for cmd in run_commands(ins):
            if cmd.name != "apt" or len(cmd.words) < 2:
                continue
            sub = subcommand(cmd, VALUE_OPTIONS["apt"])
            if sub is None:
                continue
            found = True
            word = cmd.words[0]
            target = SAME_IN_APT_GET.get(sub[1].text)
            if text is None or cmd.script != -1 or target is None or word.raw != word.text:
                edits = []
                text = None
                continue
            edits.append((word.end, word.end, "-get"))
            if target != sub[1].text:
                edits.append((sub[1].start, sub[1].end, target))
        if not found:
            return
        fix = None
        if text is not None and edits:
            new = text
            for start, end, repl in sorted(edits, reverse=True):
                new = new[:start] + repl + new[end:]
            fix = command_fix("use apt-get", ins, new)
        yield self.finding(ins, fix=fix)
