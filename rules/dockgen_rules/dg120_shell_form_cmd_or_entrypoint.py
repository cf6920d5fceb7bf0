"""DG120: CMD/ENTRYPOINT in shell form."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen import _record
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.syntax import commands
from dockgen.stages import inherited_instructions

#: Characters that make a command text need a shell (expansion, globbing, operators, comments).
_SHELL_CHARS = frozenset("$`;&|<>()*?[]{}~#\n\r")


def exec_words(text: str) -> list[str] | None:
    """The argv of a shell-form command that needs no shell, else None.

    ``exec cmd args`` gives ``cmd args``; assignments, expansions, globs, operators and redirections give None.
    """
    if not text.strip() or any(c in _SHELL_CHARS for c in text):
        return None
    cmds = commands(text)
    if len(cmds) != 1:
        return None
    (cmd,) = cmds
    if cmd.assignments or cmd.redirects or not cmd.words or cmd.depth:
        return None
    prefix = [w.text for w in cmd.prefix]
    if cmd.prefixes == ("exec",) and len(prefix) == 1:
        prefix = []
    words = prefix + [w.text for w in cmd.words]
    if words[0] in ("if", "for", "while", "case", "until", "function", "{", "!"):
        return None
    return words


class ShellFormCmdOrEntrypoint(Rule):
    """
    ## What it does
    Flags `CMD` and `ENTRYPOINT` written in shell form (`CMD python app.py`), unless a `SHELL` instruction
    chose a custom shell (as BuildKit does).

    Unlike hadolint's DL3025, a shell-form `HEALTHCHECK CMD` is not flagged (the health check is not the
    container's main process, so signals do not matter), and `# check=skip=JSONArgsRecommended` silences
    the rule like BuildKit.

    ## Why is this bad?
    Shell form runs the command as `/bin/sh -c "..."`: the shell is PID 1 and does not forward `SIGTERM`, so
    `docker stop` waits and then kills the application without a clean shutdown. A shell-form `ENTRYPOINT`
    also ignores `CMD` and `docker run` arguments.

    The fix rewrites the instruction in exec form when the command uses no shell feature (no variables,
    globs, operators, redirections or assignments; a leading `exec` is dropped). It is safe for `CMD`, and
    for `ENTRYPOINT` in a stage without `CMD`; otherwise it is offered as unsafe because the arguments the
    program receives change. Commands that need a shell are reported without a fix: rewrite them by hand,
    e.g. with an entrypoint script that ends in `exec "$@"`.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD python -m app --port 8000
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "app", "--port", "8000"]
    ```

    ## References
    - hadolint DL3025, BuildKit JSONArgsRecommended
    - https://docs.docker.com/reference/build-checks/json-args-recommended/
    """

    code = "DG120"
    name = "shell-form-cmd-or-entrypoint"
    triggers = frozenset({"CMD", "ENTRYPOINT"})
    severity = Severity.WARNING
    message = "shell-form CMD/ENTRYPOINT: use the JSON exec form"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3025", "JSONArgsRecommended")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            history = inherited_instructions(df, stage)
            shell_set = any(i.keyword == "SHELL" for i in history)
            entrypoint = any(i.keyword == "ENTRYPOINT" for i in history)
            has_cmd = any(i.keyword == "CMD" for i in stage.instructions)
            for ins in stage.instructions:
                if ins.keyword == "SHELL":
                    shell_set = True
                if ins.keyword == "ENTRYPOINT":
                    entrypoint = True
                if ins.keyword not in ("CMD", "ENTRYPOINT") or ins.is_exec or shell_set:
                    continue
                yield self._finding(ins, entrypoint_in_stage=entrypoint, has_cmd=has_cmd)

    def _finding(self, ins: IRInstruction, *, entrypoint_in_stage: bool, has_cmd: bool) -> Finding:
        text = ins.args[0] if ins.args else ""
        words = exec_words(text)
        if words is None:
            return self.finding(
                ins,
                f"shell-form {ins.keyword} runs under /bin/sh, which does not forward signals: "
                "use the JSON exec form (the command needs a shell, so no automatic fix)",
            )
        new = _record.replace(ins, args=tuple(words), form="exec")
        if text.lstrip().startswith("exec "):
            why = (
                "ignores CMD and 'docker run' arguments"
                if ins.keyword == "ENTRYPOINT"
                else "starts a needless /bin/sh first"
            )
            reason = f"shell-form {ins.keyword} with exec forwards signals but {why}: use the exec form"
        else:
            reason = f"shell-form {ins.keyword} runs under /bin/sh, which does not forward signals: use the exec form"
        safe = not has_cmd if ins.keyword == "ENTRYPOINT" else not entrypoint_in_stage
        fix = Fix(
            f"rewrite {ins.keyword} in exec form", (Replace(targets=(ins,), replacement=(new,)),), safe=safe
        )
        return self.finding(ins, reason, fix=fix)
