"""DG021: a pipe in RUN without pipefail."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.run import scripts
from dockgen.shell.syntax import SHELLS, Command, chains, commands
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


def _substitutions(text: str) -> list[str]:
    """The inner texts of the command substitutions ``$(...)`` and ```...``` in a word as written."""
    inner: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            k = text.find("'", i + 1)
            i = n if k < 0 else k + 1
            continue
        if c == "$" and text.startswith("$(", i) and not text.startswith("$((", i):
            depth, j = 0, i + 1
            while j < n:
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            inner.append(text[i + 2 : j])
            i = j + 1
            continue
        if c == "`":
            k = text.find("`", i + 1)
            if k < 0:
                break
            inner.append(text[i + 1 : k])
            i = k + 1
            continue
        i += 1
    return inner


def _unprotected(cmds: tuple[Command, ...], depth: int = 0) -> bool:
    """True when ``cmds`` (or a command substitution inside them) pipes without pipefail set before."""
    protected = False
    for chain in chains(cmds):
        if any(_sets_pipefail(c) for c in chain):
            protected = True
        if protected:
            continue
        if len(chain) > 1 and chain[-1].words:
            return True
        if depth < 3:
            for c in chain:
                for w in (*c.prefix, *c.words):
                    if any(_unprotected(commands(t), depth + 1) for t in _substitutions(w.raw)):
                        return True
    return False


def _unprotected_pipe(ins: IRInstruction) -> bool:
    return any(_unprotected(script.commands) for script in scripts(ins))


class PipeWithoutPipefail(Rule):
    """
    ## What it does
    Flags a `RUN` whose command contains a pipe (`a | b`), also inside a command substitution (`$(a | b)`,
    `` `a | b` ``), when neither the stage's `SHELL` nor an earlier `set -o pipefail` in the same script
    enables `pipefail`. The fix inserts one `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` per stage, before
    the first such `RUN` (`/bin/ash` on Alpine and BusyBox images); it is unsafe, because the new shell
    applies to every later `RUN` of the stage, and the image must contain that shell. Stages with a
    non-POSIX `SHELL` (PowerShell) are not checked.

    Unlike hadolint's DL4006, pipes inside command substitutions are checked too (their failure is as silent
    when the result is used, e.g. `VERSION=$(curl -fsSL $URL | jq -r .tag)`).

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
            fix: Fix | None = None
            for ins in stage.instructions:
                if ins.keyword == "SHELL":
                    fix = None  # a later first finding gets its own SHELL (after this one)
                if ins.keyword != "RUN" or ins.is_exec:
                    continue
                state = _shell_has_pipefail(stage_shell(df, ins))
                if state is None or state or not _unprotected_pipe(ins):
                    continue
                if fix is None and not any(b in base for b in _NO_SHELL_BASES):
                    # one SHELL per stage, before its first unprotected RUN: every finding shares it
                    sh = "/bin/ash" if "alpine" in base or "busybox" in base else "/bin/bash"
                    shell = IRInstruction(
                        "SHELL", args=(sh, "-o", "pipefail", "-c"), form="exec", original="SHELL"
                    )
                    where = f" (line {ins.line})" if ins.span is not None else ""
                    fix = Fix(
                        f"set SHELL to {sh} with pipefail before the stage's first piped RUN{where}",
                        (Replace(targets=(), replacement=(shell,), before=ins),),
                        safe=False,
                    )
                yield self.finding(ins, fix=fix)
