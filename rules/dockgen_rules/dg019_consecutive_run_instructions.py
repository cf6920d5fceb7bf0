"""DG019: consecutive RUN instructions that could be one layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Instruction
from dockgen.lint.edits import with_command
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.run import run_commands

#: Commands whose effect carries over to the following commands of the same shell.
_STATEFUL = frozenset(
    {"cd", "pushd", "popd", "export", "set", "unset", "umask", "source", ".", "alias", "shopt", "ulimit",
     "exit", "trap", "readonly", "declare", "typeset", "local", "shift", "eval", "exec"}
)  # fmt: skip


def _mergeable(ins: Instruction) -> bool:
    return (
        ins.keyword == "RUN"
        and not ins.is_exec
        and not ins.heredocs
        and bool(ins.args)
        and bool(ins.args[0].strip())
    )


def _body(ins: Instruction) -> str | None:
    """The command text ready to be joined with ``&&``, or None when joining could change its meaning."""
    text = ins.args[0].strip()
    if text.endswith(";") and not text.endswith(";;"):
        text = text[:-1].rstrip()
    if text.endswith("&") and not text.endswith("&&"):
        return None
    cmds = run_commands(ins)
    if not cmds:
        return None
    tail = text[cmds[-1].end :] if cmds[-1].end <= len(text) else ""
    if "#" in tail or "<<" in text:
        return None
    return text


def _stateful(ins: Instruction) -> bool:
    return any(c.name in _STATEFUL or (not c.words and c.assignments) for c in run_commands(ins))


class ConsecutiveRunInstructions(Rule):
    """
    ## What it does
    Flags runs of adjacent `RUN` instructions in one stage that could be a single layer, and fixes them by
    joining the commands with ` && `.

    A split is taken as intentional, and left alone, when the `RUN`s differ in flags (`--mount`,
    `--network`, `--security`), when one uses exec form or a here-document, or when the later `RUN` has its
    own comment above it. Only directly adjacent `RUN`s are joined: an `ENV`, `COPY`, `WORKDIR`, `USER` or
    any other instruction in between ends the run.

    The fix is safe when the earlier commands do not change the shell's state; when one of them does (`cd`,
    `export`, `set`, `umask`, `source`, a bare `VAR=value`, `exit`), the joined commands would see that state,
    so the fix is offered as unsafe.

    Unlike hadolint's DL3059, which reports every further `RUN` of a run but skips `RUN`s that chain
    commands with `&&`, dockgen reports a run once (on its second `RUN`, listing all lines) and also joins
    `RUN`s that already chain commands.

    ## Why is this bad?
    Every `RUN` is a layer with its own metadata and its own cache entry. Steps that belong together (install,
    configure, clean up) should share a layer, so that files cleaned up at the end never reach the image and
    the steps are cached together.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app
    RUN mkdir -p /srv/data
    RUN chown app /srv/data
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd --create-home app && mkdir -p /srv/data && chown app /srv/data
    ```

    ## References
    - hadolint DL3059 (narrower: it ignores the reasons to keep RUNs apart)
    - https://docs.docker.com/build/building/best-practices/#run
    """

    code = "DG019"
    name = "consecutive-run-instructions"
    triggers = frozenset({"RUN"})
    severity = Severity.INFO
    message = "consecutive RUN instructions can be merged into one layer"
    fix_availability = FixAvailability.ALWAYS
    equivalents = ("DL3059",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            group: list[Instruction] = []
            for ins in (*stage.instructions, None):
                if (
                    ins is not None
                    and _mergeable(ins)
                    and group
                    and ins.flags == group[-1].flags
                    and not ins.comments
                    and _body(group[-1]) is not None
                ):
                    group.append(ins)
                    continue
                if len(group) > 1:
                    yield self._finding(group)
                group = [ins] if ins is not None and _mergeable(ins) else []

    def _finding(self, group: list[Instruction]) -> Finding:
        bodies = [_body(i) for i in group]
        safe = not any(_stateful(i) for i in group[:-1])
        merged_text = " && ".join(
            b if b is not None else i.args[0] for b, i in zip(bodies, group, strict=True)
        )
        merged = with_command(group[0], merged_text)
        fix = Fix(
            f"merge {len(group)} RUN instructions with &&",
            (Replace(targets=tuple(group), replacement=(merged,)),),
            safe=safe,
        )
        if all(i.span is not None for i in group):
            where = "RUN instructions at lines " + ", ".join(str(i.line) for i in group)
        else:  # declarations have no lines
            where = f"{len(group)} consecutive RUN instructions"
        return self.finding(group[1], f"{where} can be one layer (join with &&)", fix=fix)
