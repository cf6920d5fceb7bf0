"""DG021: a pipe in RUN without pipefail."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.run import scripts
from dockgen.shell.syntax import SHELLS, Command, chains
from dockgen.stages import stage_shell

_NO_SHELL_BASES = ("scratch", "distroless", "chainguard/static")


def _sets_pipefail(cmd: Command) -> bool:
    if cmd.name not in ("set", "shopt"):
        return False
    words = [w.text for w in cmd.args]
    for i, w in enumerate(words):
        if w == "-o" and i + 1 < len(words) and words[i + 1] == "pipefail":
            return True
        if w.startswith("-") and w.endswith("o") and i + 1 < len(words) and words[i + 1] == "pipefail":
            return True
    return False


def _shell_has_pipefail(shell: tuple[str, ...] | None) -> bool | None:
    """True/False for a POSIX SHELL with/without pipefail, None for a non-POSIX shell."""
    if shell is None:
        return False
    name = shell[0].rsplit("/", 1)[-1].lower()
    if name not in SHELLS:
        return None
    return any(a == "pipefail" or a.endswith("pipefail") for a in shell[1:])


def _unprotected_pipe(ins: Instruction) -> bool:
    for script in scripts(ins):
        protected = False
        for chain in chains(script.commands):
            if any(_sets_pipefail(c) for c in chain):
                protected = True
            if len(chain) > 1 and not protected and chain[-1].words:
                return True
    return False


class PipeWithoutPipefail(Rule):
    """
    ## What it does
    Flags a `RUN` whose command contains a pipe (`a | b`) when neither the stage's `SHELL` nor an earlier
    `set -o pipefail` in the same script enables `pipefail`. The fix inserts
    `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the `RUN` (`/bin/ash` on Alpine and BusyBox
    images); it is unsafe, because the new shell applies to every later `RUN` of the stage, and the image
    must contain that shell. Stages with a non-POSIX `SHELL` (PowerShell) are not checked.

    ## Why is this bad?
    A pipeline's status is the status of its last command: `wget -O- https://x | tar xz` succeeds even when
    the download fails, and the build goes on with a broken layer.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget -O- https://example.com/tool.tar.gz | tar -xz -C /opt
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN wget -O- https://example.com/tool.tar.gz | tar -xz -C /opt
    ```

    ## References
    - hadolint DL4006
    - https://docs.docker.com/build/building/best-practices/#using-pipes
    """

    code = "DG021"
    name = "pipe-without-pipefail"
    triggers = frozenset({"RUN"})
    severity = Severity.WARNING
    message = "pipe in RUN without pipefail: a failing command before the pipe is ignored"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL4006",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in df.stages:
            base = stage.base.lower()
            for ins in stage.instructions:
                if ins.keyword != "RUN" or ins.is_exec:
                    continue
                state = _shell_has_pipefail(stage_shell(df, ins))
                if state is None or state or not _unprotected_pipe(ins):
                    continue
                fix = None
                if not any(b in base for b in _NO_SHELL_BASES):
                    sh = "/bin/ash" if "alpine" in base or "busybox" in base else "/bin/bash"
                    shell = Instruction(
                        "SHELL", args=(sh, "-o", "pipefail", "-c"), form="exec", original="SHELL"
                    )
                    fix = Fix(
                        f"set SHELL to {sh} with pipefail before this RUN",
                        (Replace(targets=(), replacement=(shell,), before=ins),),
                        safe=False,
                    )
                yield self.finding(ins, fix=fix)
