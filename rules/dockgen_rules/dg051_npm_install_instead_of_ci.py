"""DG051: npm install where npm ci fits."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import operands
from dockgen.shell.packages import VALUE_OPTIONS, find_install
from dockgen.shell.run import run_commands, shell_form_text

LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json")


def _lockfile_copied(ctx: LintContext, ins: IRInstruction) -> bool:
    """A COPY before ``ins`` in its stage brings a lockfile (named, by glob, or the whole context that has
    one)."""
    df = ctx.dockerfile
    stage = df.stage_of(ins)
    if stage is None:
        return False
    context_has = ctx.context_dir is not None and any((ctx.context_dir / n).is_file() for n in LOCKFILES)
    for item in stage.instructions:
        if item is ins:
            break
        if item.keyword not in ("COPY", "ADD") or item.flag("from"):
            continue
        for src in item.args[:-1]:
            name = src.rstrip("/").rsplit("/", 1)[-1]
            if name in LOCKFILES or name in ("package*.json", "*.json", "package-*.json"):
                return True
            if context_has and src in (".", "./"):
                return True
    return False


class NpmInstallInsteadOfCi(InstructionRule):
    """
    ## What it does
    Flags `npm install` / `npm i` without package names (an install from `package.json`) in a stage where a
    lockfile (`package-lock.json`, `npm-shrinkwrap.json`) was copied in before — by name, by a glob such as
    `package*.json`, or with the whole context when the context directory has one. Installs of named packages
    and global installs are not flagged. The fix replaces `install` with `ci`; it is **unsafe**: `npm ci`
    fails when the lockfile and `package.json` disagree, and removes an existing `node_modules`.

    ## Why is this bad?
    `npm install` may update the lockfile and install versions other than the ones you tested. `npm ci`
    installs exactly what the lockfile says, is faster, and fails loudly when the lockfile is out of date.

    ## Example
    ```dockerfile
    FROM node:20-slim
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm install
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.npmjs.com/cli/commands/npm-ci
    """

    code = "DG051"
    name = "npm-install-instead-of-ci"
    reads_context = True
    severity = Severity.WARNING
    message = "npm install with a lockfile: use npm ci"
    fix_availability = FixAvailability.SOMETIMES
    keywords = frozenset({"RUN"})
    include_onbuild = False

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        bad = []
        for cmd, idx in find_install(cmds, "npm"):
            if cmd.words[idx].text not in ("install", "i"):
                continue
            flags = {w.text for w in cmd.words[idx + 1 :]}
            if flags & {"-g", "--global", "--no-package-lock", "--package-lock=false"}:
                continue
            if operands(cmd, idx + 1, VALUE_OPTIONS["npm"]):
                continue
            bad.append((cmd, idx))
        if not bad or not _lockfile_copied(ctx, ins):
            return
        fix = None
        text = shell_form_text(ins)
        if text is not None and all(c.script == -1 for c, _ in bad):
            new = text
            for cmd, idx in sorted(bad, key=lambda b: -b[0].words[b[1]].start):
                w = cmd.words[idx]
                new = new[: w.start] + "ci" + new[w.end :]
            fix = command_fix("use npm ci", ins, new, safe=False)
        yield self.finding(ins, fix=fix)
