"""DG047: apk add without --no-cache."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import add_option
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.packages import find_install
from dockgen.shell.run import cache_mount_covers, run_commands, shell_form_text


class ApkAddWithoutNoCache(InstructionRule):
    """
    ## What it does
    Flags `apk add` without `--no-cache`, unless the same `RUN` removes `/var/cache/apk` or a cache mount
    covers `/var/cache/apk` or `/etc/apk/cache`; builder stages that do not end up in the image are not
    checked. The fix adds `--no-cache` after `add` and is safe: `--no-cache` fetches a fresh index instead of
    keeping it in the layer, and installs the same packages.

    ## Why is this bad?
    Without it the package index stays in `/var/cache/apk` in the layer, a few megabytes that nothing at run
    time uses (and an `apk update` in its own `RUN` goes stale in the build cache).

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add curl
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```

    ## References
    - hadolint DL3019, Trivy DS-0025
    """

    code = "DG047"
    name = "apk-add-without-no-cache"
    severity = Severity.INFO
    message = "apk add without --no-cache keeps the index in the layer"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3019", "DS-0025")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        bad = [
            (c, i) for c, i in find_install(cmds, "apk") if not any(w.text == "--no-cache" for w in c.words)
        ]
        if not bad:
            return
        if not ctx.ships(ins):
            return
        if cache_mount_covers(ins, "/var/cache/apk") or cache_mount_covers(ins, "/etc/apk/cache"):
            return
        if any(c.name == "rm" and any(w.text.startswith("/var/cache/apk") for w in c.args) for c in cmds):
            return
        new = add_option(shell_form_text(ins), bad, "--no-cache")
        fix = None if new is None else command_fix("add --no-cache", ins, new)
        yield self.finding(ins, fix=fix)
