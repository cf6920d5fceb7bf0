"""DG050: pip install keeps its download cache in the layer."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import add_option
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.packages import find_install, pip_cache_disabled
from dockgen.shell.run import run_commands, shell_form_text
from dockgen.shell.syntax import Command
from dockgen.stages import env_before


def _mount_targets(ins: IRInstruction) -> list[str]:
    return [(m.get("target") or "").rstrip("/") for m in ins.mounts if m.get("type") in ("cache", "tmpfs")]


def _cache_handled(cmd: Command, ins: IRInstruction, env: dict[str, str], cmds: tuple[Command, ...]) -> bool:
    if any(w.text == "--no-cache-dir" for w in cmd.words):
        return True
    local = {**env, **cmd.env()}
    if pip_cache_disabled(local):
        return True
    targets = _mount_targets(ins)
    cache_dir = local.get("PIP_CACHE_DIR")
    for i, w in enumerate(cmd.words):
        if w.text == "--cache-dir" and i + 1 < len(cmd.words):
            cache_dir = cmd.words[i + 1].text
        elif w.text.startswith("--cache-dir="):
            cache_dir = w.text.split("=", 1)[1]
    for t in targets:
        if not t:
            continue
        if cache_dir and (cache_dir.rstrip("/") == t or cache_dir.startswith(t + "/")):
            return True
        if t.endswith(("/.cache/pip", "/.cache")) or t == "/root/.cache/pip":
            return True
    for c in cmds:
        if c.name == "rm" and any(
            ".cache/pip" in w.text or w.text.rstrip("/") in ("/root/.cache", "~/.cache") for w in c.args
        ):
            return True
        if (
            c.name in ("pip", "pip3")
            and len(c.args) >= 2
            and c.args[0].text == "cache"
            and c.args[1].text == "purge"
        ):
            return True
    return False


class PipInstallWithoutNoCacheDir(InstructionRule):
    """
    ## What it does
    Flags `pip install` (also `pip3`, `python -m pip`) that leaves pip's download cache in the layer. Not
    flagged: `--no-cache-dir`; `PIP_NO_CACHE_DIR` set by `ENV`, `ARG` or on the command line (pip treats any
    valid value, even `0`/`false`/`off`, as "no cache"); a cache or tmpfs mount on the cache directory
    (`~/.cache/pip`, `~/.cache`, or `PIP_CACHE_DIR`/`--cache-dir`); `pip cache purge` or removing the cache in
    the same `RUN`; builder stages that do not end up in the image. `pip download` and `pip wheel` are not
    installs. The fix adds `--no-cache-dir` after `install`; it is safe.

    ## Why is this bad?
    pip keeps every downloaded wheel in `~/.cache/pip`: for a data-science stack that is hundreds of
    megabytes of the image that are never used again.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install -r requirements.txt
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## References
    - hadolint DL3042
    - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    """

    code = "DG050"
    name = "pip-install-without-no-cache-dir"
    severity = Severity.INFO
    message = "pip install keeps its cache in the layer: add --no-cache-dir"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3042",)
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        installs = find_install(cmds, "pip")
        if not installs:
            return
        df = ctx.dockerfile
        if not ctx.ships(ins):
            return
        env = env_before(df, ins)
        bad = [(c, i) for c, i in installs if not _cache_handled(c, ins, env, cmds)]
        if not bad:
            return
        new = add_option(shell_form_text(ins), bad, "--no-cache-dir")
        fix = None if new is None else command_fix("add --no-cache-dir", ins, new)
        yield self.finding(ins, fix=fix)
