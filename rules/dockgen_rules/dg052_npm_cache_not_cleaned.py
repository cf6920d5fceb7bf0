"""DG052: npm cache left in the layer."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import append_command
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.packages import find_install
from dockgen.shell.run import run_commands, shell_form_text
from dockgen.shell.syntax import Command
from dockgen.stages import env_before


def _handled(ins: IRInstruction, cmds: tuple[Command, ...], env: dict[str, str]) -> bool:
    targets = [(m.get("target") or "").rstrip("/") for m in ins.mounts if m.get("type") in ("cache", "tmpfs")]
    cache = (env.get("npm_config_cache") or env.get("NPM_CONFIG_CACHE") or "").rstrip("/")
    for t in targets:
        if t and (t.endswith("/.npm") or (cache and (cache == t or cache.startswith(t + "/")))):
            return True
    for c in cmds:
        args = [w.text for w in c.args]
        if c.name == "npm" and args[:2] == ["cache", "clean"]:
            return True
        if c.name == "rm" and any(
            a.rstrip("/").endswith("/.npm") or a.rstrip("/") == "~/.npm" or "/.npm/" in a for a in args
        ):
            return True
        if c.name == "npm":
            for i, a in enumerate(args):
                value = (
                    args[i + 1]
                    if a == "--cache" and i + 1 < len(args)
                    else a.split("=", 1)[1]
                    if a.startswith("--cache=")
                    else None
                )
                if value and any(
                    t and (value.rstrip("/") == t or value.startswith(t + "/")) for t in targets
                ):
                    return True
    return False


class NpmCacheNotCleaned(InstructionRule):
    """
    ## What it does
    Flags `npm install`/`npm ci` in a `RUN` that leaves npm's cache (`~/.npm`) in the layer: no
    `npm cache clean --force`, no removal of `~/.npm`, no cache mount on it (or on `npm_config_cache` /
    `--cache`). Builder stages that do not end up in the image are not checked. The fix appends
    `&& npm cache clean --force` after the last npm install; it is safe.

    ## Why is this bad?
    npm keeps a copy of every downloaded package tarball in `~/.npm/_cacache`, often as large as
    `node_modules` itself, and nothing at run time reads it.

    ## Example
    ```dockerfile
    FROM node:20-slim
    RUN npm ci --omit=dev
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    RUN npm ci --omit=dev && npm cache clean --force
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.npmjs.com/cli/commands/npm-cache
    """

    code = "DG052"
    name = "npm-cache-not-cleaned"
    severity = Severity.INFO
    message = "npm cache is left in the layer"
    fix_availability = FixAvailability.SOMETIMES
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        installs = find_install(cmds, "npm") + [
            (c, 1) for c in cmds if c.name == "npm" and len(c.words) > 1 and c.words[1].text == "ci"
        ]
        if not installs:
            return
        df = ctx.dockerfile
        if not ctx.ships(ins) or _handled(ins, cmds, env_before(df, ins)):
            return
        last = max(installs, key=lambda p: p[0].end)[0]
        fix = None
        text = shell_form_text(ins)
        if text is not None:
            new = append_command(text, last, "npm cache clean --force")
            if new is not None:
                fix = command_fix("clean the npm cache", ins, new)
        yield self.finding(ins, fix=fix)
