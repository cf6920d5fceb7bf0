"""DG035: apt-get install without -y."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.edits import add_option
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import flag_word
from dockgen.shell.packages import find_install
from dockgen.shell.run import run_commands, shell_form_text
from dockgen.shell.syntax import Command, chains

_ASSUME_YES = lazy_compile(r"(?i)^(?:-o)?APT::Get::Assume-Yes=(?:true|1|yes)$")


def assumes_yes(cmd: Command) -> bool:
    """True when ``cmd`` (apt-get/apt) will not prompt: -y/--yes/--assume-yes, -qq (implies -y), -q=2,
    ``-o APT::Get::Assume-Yes=true``."""
    if flag_word(cmd, "-y", "--yes", "--assume-yes", "--force-yes", value_flags="oct") is not None:
        return True
    for w in cmd.args:
        t = w.text
        if (
            t.startswith("-")
            and not t.startswith("--")
            and t[1:].split("o", 1)[0].split("c", 1)[0].count("q") >= 2
        ):
            return True
        if t in ("-q=2", "--quiet=2") or _ASSUME_YES.match(t):
            return True
    return False


class AptGetInstallWithoutYes(InstructionRule):
    """
    ## What it does
    Flags `apt-get install` (and `apt install`) without `-y`, `--yes`, `--assume-yes`, `-qq` (which implies
    `-y`) or `-o APT::Get::Assume-Yes=true`, unless `yes |` feeds it; fixes it by adding `-y` after
    `install`. The fix is unsafe by dockgen's definition (a safe fix leaves the build's outcome unchanged):
    where the install would have asked, the build that stopped there now goes on and installs.

    ## Why is this bad?
    Without `-y`, `apt-get` asks "Do you want to continue?" as soon as an install pulls in extra packages.
    There is no terminal during a build, so the answer is "no" and the build fails.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## References
    - hadolint DL3014, Trivy DS-0021
    """

    code = "DG035"
    name = "apt-get-install-without-yes"
    severity = Severity.WARNING
    message = "apt-get install without -y fails in a build"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3014", "DS-0021")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        fed_by_yes = {
            id(c) for chain in chains(cmds) for i, c in enumerate(chain) if i and chain[0].name == "yes"
        }
        text = shell_form_text(ins)
        bad = [
            (cmd, idx)
            for manager in ("apt-get", "apt")
            for cmd, idx in find_install(cmds, manager)
            if not assumes_yes(cmd) and id(cmd) not in fed_by_yes
        ]
        if not bad:
            return
        new = add_option(text, bad, "-y")
        fix = None if new is None else command_fix("add -y", ins, new, safe=False)
        yield self.finding(ins, fix=fix)
