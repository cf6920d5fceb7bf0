"""DG036: apt-get install without --no-install-recommends."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.edits import insert_after
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import flag_word
from dockgen.shell.packages import find_install
from dockgen.shell.run import run_commands, shell_form_text

_CONFIG = lazy_compile(r"(?i)APT::Install-Recommends")


def _configured_off(ctx: LintContext, ins: IRInstruction) -> bool:
    """An earlier RUN of the stage (or its parents) writes an apt config setting Install-Recommends."""
    df = ctx.dockerfile
    stage = df.stage_of(ins)
    seen: set[int] = set()
    while stage is not None and stage.index not in seen:
        seen.add(stage.index)
        for item in stage.instructions:
            if item is ins:
                break
            if item.keyword in ("RUN", "COPY") and _CONFIG.search(
                item.command + " ".join(h.body for h in item.heredocs)
            ):
                return True
        parent = df.stage_by_ref(stage.base)
        stage = parent if parent is not None and parent.index < stage.index else None
    return False


class AptGetInstallWithoutNoInstallRecommends(InstructionRule):
    """
    ## What it does
    Flags `apt-get install` (and `apt install`) without `--no-install-recommends` (or
    `-o APT::Install-Recommends=false`), unless an earlier `RUN` of the stage writes an apt configuration
    that sets `APT::Install-Recommends`. The fix adds `--no-install-recommends` after `install` (after a
    `-y` right behind it). It is **unsafe**: recommended packages are no longer installed, and the
    application may have relied on one of them (say, `ca-certificates` pulled in by `curl`).

    ## Why is this bad?
    Recommended packages are optional extras; installing them typically adds tens to hundreds of megabytes
    of documentation tools, X libraries and daemons nobody uses, and more CVEs to patch.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## References
    - hadolint DL3015, Trivy DS-0029
    - https://docs.docker.com/build/building/best-practices/#apt-get
    """

    code = "DG036"
    name = "apt-get-install-without-no-install-recommends"
    severity = Severity.INFO
    message = "apt-get install without --no-install-recommends installs optional extras"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3015", "DS-0029")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        bad = [
            (cmd, idx)
            for manager in ("apt-get", "apt")
            for cmd, idx in find_install(cmds, manager)
            if flag_word(cmd, "--no-install-recommends") is None
            and not any(_CONFIG.search(w.text) for w in cmd.args)
        ]
        if not bad or _configured_off(ctx, ins):
            return
        text = shell_form_text(ins)
        fix = None
        if text is not None and all(c.script == -1 for c, _ in bad):
            new = text
            for cmd, idx in sorted(bad, key=lambda b: -b[0].words[b[1]].end):
                anchor = cmd.words[idx]
                if idx + 1 < len(cmd.words) and cmd.words[idx + 1].text in (
                    "-y",
                    "--yes",
                    "-qq",
                    "-qqy",
                    "-yqq",
                ):
                    anchor = cmd.words[idx + 1]
                new = insert_after(new, anchor.end, "--no-install-recommends")
            fix = command_fix("add --no-install-recommends", ins, new, safe=False)
        yield self.finding(ins, fix=fix)
