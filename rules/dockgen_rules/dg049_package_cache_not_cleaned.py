"""DG049: yum/dnf/microdnf/zypper caches left in the layer."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import append_command
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.packages import find_install
from dockgen.shell.run import cache_mount_covers, run_commands, shell_form_text

CACHE_DIRS = {
    "yum": "/var/cache/yum",
    "dnf": "/var/cache/dnf",
    "microdnf": "/var/cache/dnf",
    "zypper": "/var/cache/zypp",
}
CLEAN = {
    "yum": "yum clean all",
    "dnf": "dnf clean all",
    "microdnf": "microdnf clean all",
    "zypper": "zypper clean --all",
}


class PackageCacheNotCleaned(InstructionRule):
    """
    ## What it does
    Flags `yum`, `dnf`, `microdnf` and `zypper` installs whose `RUN` does not clean the package cache
    (`yum clean all`, `dnf clean all`, `microdnf clean all`, `zypper clean`/`cc`, or `rm -rf /var/cache/...`).
    A cache mount on the cache directory, and builder stages that do not end up in the image, are not
    flagged. The fix appends `&& <manager> clean all` (`zypper clean --all`) after the last install; it is
    safe.

    ## Why is this bad?
    Repository metadata and downloaded packages stay in the layer: tens to hundreds of megabytes that
    nothing at run time uses.

    ## Example
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install -y httpd-2.4.57
    ```

    ## Use instead
    ```dockerfile
    FROM rockylinux:9
    RUN dnf install -y httpd-2.4.57 && dnf clean all
    ```

    ## References
    - hadolint DL3032 (yum), DL3040 (dnf), DL3036 (zypper); Trivy DS-0015 (yum), DS-0019 (dnf),
      DS-0027 (microdnf), DS-0020 (zypper)
    """

    code = "DG049"
    name = "package-cache-not-cleaned"
    severity = Severity.INFO
    message = "package manager cache is left in the layer"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DL3032", "DL3040", "DL3036", "DS-0015", "DS-0019", "DS-0027", "DS-0020")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        if not ctx.ships(ins):
            return
        for manager, cache in CACHE_DIRS.items():
            installs = find_install(cmds, manager)
            if not installs or cache_mount_covers(ins, cache):
                continue
            cleaned = any(
                (c.name == manager and any(w.text in ("clean", "cc") for w in c.args))
                or (c.name == "rm" and any(w.text.startswith(cache) for w in c.args))
                for c in cmds
            )
            if cleaned:
                continue
            fix = None
            text = shell_form_text(ins)
            if text is not None:
                new = append_command(text, installs[-1][0], CLEAN[manager])
                if new is not None:
                    fix = command_fix(f"run {CLEAN[manager]}", ins, new)
            yield self.finding(
                ins, f"{manager} install without cleaning its cache: add {CLEAN[manager]}", fix=fix
            )
            return
