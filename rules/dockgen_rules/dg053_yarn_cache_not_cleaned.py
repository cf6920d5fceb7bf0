"""DG053: yarn cache left in the layer."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import append_command
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.run import run_commands, shell_form_text
from dockgen.shell.syntax import Command

_INSTALLS = frozenset({"install", "add"})


def _is_install(cmd: Command) -> bool:
    if cmd.name != "yarn":
        return False
    if any(w.text in ("--version", "-v", "--help", "-h") for w in cmd.args):
        return False  # ``yarn --version`` prints the version: it installs nothing
    ops = [w.text for w in cmd.args if not w.text.startswith("-")]
    return not ops or ops[0] in _INSTALLS


def _handled(ins: IRInstruction, cmds: tuple[Command, ...]) -> bool:
    targets = [(m.get("target") or "").rstrip("/") for m in ins.mounts if m.get("type") in ("cache", "tmpfs")]
    if any("yarn" in t or t.endswith("/.cache") for t in targets):
        return True
    for c in cmds:
        args = [w.text for w in c.args]
        if c.name == "yarn" and args[:2] == ["cache", "clean"]:
            return True
        if c.name == "rm" and any("yarn" in a and "cache" in a for a in args):
            return True
        if c.name == "yarn" and any(a.startswith("--cache-folder") for a in args) and targets:
            return True
    return False


class YarnCacheNotCleaned(InstructionRule):
    """
    ## What it does
    Flags `yarn install`, `yarn add` and a bare `yarn` in a `RUN` that does not run `yarn cache clean`,
    remove the yarn cache, or mount a cache on it. Builder stages that do not end up in the image are not
    checked. The fix appends `&& yarn cache clean` after the last yarn install; it is safe.

    ## Why is this bad?
    Yarn keeps every downloaded package in its global cache (`/usr/local/share/.cache/yarn`), doubling the
    size of the dependencies in the layer.

    ## Example
    ```dockerfile
    FROM node:20-slim
    RUN yarn install --frozen-lockfile
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    RUN yarn install --frozen-lockfile && yarn cache clean
    ```

    ## References
    - hadolint DL3060
    """

    code = "DG053"
    name = "yarn-cache-not-cleaned"
    severity = Severity.INFO
    message = "yarn cache is left in the layer"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3060",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        installs = [c for c in cmds if _is_install(c)]
        if not installs:
            return
        if not ctx.ships(ins) or _handled(ins, cmds):
            return
        fix = None
        text = shell_form_text(ins)
        if text is not None:
            new = append_command(text, installs[-1], "yarn cache clean")
            if new is not None:
                fix = command_fix("clean the yarn cache", ins, new)
        yield self.finding(ins, fix=fix)
