"""DG140: ``$VAR`` inside an exec-form CMD/ENTRYPOINT/RUN, where nothing expands it."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.syntax import SHELLS
from dockgen_rules._variables import plain_references


def runs_a_shell(args: tuple[str, ...]) -> bool:
    """``["sh", "-c", "..."]`` and friends: the shell expands the variables."""
    return (
        len(args) >= 2
        and args[0].rsplit("/", 1)[-1] in SHELLS
        and any(a.startswith("-") and "c" in a for a in args[1:-1])
    )


class ExecFormWithVariable(InstructionRule):
    """
    ## What it does
    Flags `$NAME` / `${NAME}` in the JSON (exec) form of `CMD`, `ENTRYPOINT` and `RUN` unless the command is a
    shell run with `-c` (`["sh", "-c", "..."]`).

    ## Why is this bad?
    The exec form runs the program directly: no shell, so no variable expansion. The program receives the
    literal text `$PORT`, which is rarely what was meant. Use a shell explicitly, or let the program read the
    environment variable itself.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENV PORT=8000
    CMD ["gunicorn", "--bind", "0.0.0.0:$PORT", "app:app"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENV PORT=8000
    CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app:app"]
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#shell-and-exec-form
    """

    code = "DG140"
    name = "exec-form-with-variable"
    severity = Severity.WARNING
    message = "variable in exec form is not expanded"
    keywords = frozenset({"CMD", "ENTRYPOINT", "RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if not ins.is_exec or runs_a_shell(ins.args):
            return
        names = [n for a in ins.args for n in plain_references(a.replace("'", ""))]
        if names:
            yield self.finding(
                ins,
                f"${names[0]} in the exec form of {ins.keyword} is passed literally (no shell expands it): "
                'use ["sh", "-c", "..."] or read the variable in the program',
            )
