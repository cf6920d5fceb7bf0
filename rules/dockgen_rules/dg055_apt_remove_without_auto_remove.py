"""DG055: apt-get remove/purge of build packages without --auto-remove leaves their dependencies behind."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.edits import insert_after
from dockgen.lint.rule import Finding, FixAvailability, InstructionRule, LintContext, Severity, command_fix
from dockgen.shell.argv import operands
from dockgen.shell.packages import VALUE_OPTIONS, manager_subcommand
from dockgen.shell.run import run_commands, shell_form_text
from dockgen.shell.syntax import Command
from dockgen.stages import inherited_instructions
from dockgen.toolchain import is_build_package, package_name

_APT = frozenset({"apt-get", "apt"})
_AUTO = frozenset({"--auto-remove", "--autoremove"})
#: Base images whose packages are all marked manually installed (so autoremove finds nothing of theirs).
_CLEAN_BASES = frozenset({"debian", "ubuntu"})


def _apt(cmd: Command) -> tuple[str, str, list[str]] | None:
    found = manager_subcommand(cmd)
    if found is None or found[0] not in _APT:
        return None
    manager, idx, sub = found
    names = [w.text for w in operands(cmd, idx + 1, VALUE_OPTIONS.get(manager, ()))]
    return manager, sub.text, names


def _auto(cmd: Command) -> bool:
    return any(
        w.text in _AUTO or w.text.replace(" ", "") == "APT::Get::AutomaticRemove=true" for w in cmd.args
    )


def _changes_packages_before(ctx: LintContext, ins: IRInstruction) -> bool:
    """An earlier RUN of the stage (or its parents) removes packages (which may leave orphans behind)."""
    df = ctx.dockerfile
    stage = df.stage_of(ins)
    if stage is None:
        return True
    earlier = [*inherited_instructions(df, stage)]
    for item in stage.instructions:
        if item is ins:
            break
        earlier.append(item)
    for item in earlier:
        if item.keyword != "RUN":
            continue
        for cmd in run_commands(item):
            found = _apt(cmd)
            if found is not None and found[1] in ("remove", "purge", "autoremove"):
                return True
    return False


def _installed_earlier(ctx: LintContext, ins: IRInstruction) -> set[str]:
    df = ctx.dockerfile
    stage = df.stage_of(ins)
    names: set[str] = set()
    if stage is None:
        return names
    for item in [*inherited_instructions(df, stage), *stage.instructions]:
        if item is ins:
            break
        if item.keyword != "RUN":
            continue
        for cmd in run_commands(item):
            found = _apt(cmd)
            if found is not None and found[1] == "install":
                names.update(package_name(n) for n in found[2])
    return names


class AptRemoveWithoutAutoRemove(InstructionRule):
    """
    ## What it does
    Flags `apt-get remove`/`apt-get purge` (and `apt remove`/`apt purge`) of build packages (compilers,
    `build-essential`, `-dev` headers, `pkg-config`, ...) without `--auto-remove`, when no `apt-get
    autoremove` follows in the same `RUN`.

    The fix adds `--auto-remove` after the subcommand. It is **safe** when it provably removes only what
    that `RUN` installed: every removed package is installed by an `apt-get install` earlier in the same
    `RUN` and by no earlier `RUN`, no earlier `RUN` removed packages (which could have left orphans), and the
    base image is `debian` or `ubuntu` (whose packages are all marked as manually installed). Otherwise the
    fix is unsafe.

    ## Why is this bad?
    `remove` and `purge` take away only the named packages. `build-essential` is a list of dependencies:
    removing it leaves gcc, g++, make, binutils and libc6-dev in the image, which is hundreds of megabytes
    and the whole toolchain the removal was meant to get rid of.

    ## Example
    ```dockerfile
    FROM debian:bookworm
    RUN apt-get update && apt-get install -y build-essential && make -C /usr/src/app install \\
        && apt-get remove -y build-essential && rm -rf /var/lib/apt/lists/*
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm
    RUN apt-get update && apt-get install -y build-essential && make -C /usr/src/app install \\
        && apt-get remove --auto-remove -y build-essential && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://manpages.debian.org/bookworm/apt/apt-get.8.en.html (`--auto-remove`)
    """

    code = "DG055"
    name = "apt-remove-without-auto-remove"
    severity = Severity.WARNING
    message = "apt-get remove without --auto-remove leaves the removed packages' dependencies in the image"
    fix_availability = FixAvailability.SOMETIMES
    keywords = frozenset({"RUN"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if not ctx.ships(ins):
            return
        cmds = run_commands(ins)
        installed_here: set[str] = set()
        bad: list[tuple[Command, list[str]]] = []
        removed: set[str] = set()
        for pos, cmd in enumerate(cmds):
            found = _apt(cmd)
            if found is None:
                continue
            _, sub, names = found
            if sub == "install":
                installed_here.update(package_name(n) for n in names)
                continue
            if sub not in ("remove", "purge") or _auto(cmd):
                continue
            build = [n for n in names if is_build_package(n)]
            if not build:
                continue
            later = any((f := _apt(c)) is not None and f[1] == "autoremove" for c in cmds[pos + 1 :])
            if not later:
                bad.append((cmd, build))
                removed.update(package_name(n) for n in names)
        if not bad:
            return
        shown = ", ".join(dict.fromkeys(n for _, names in bad for n in names))
        text = shell_form_text(ins)
        fix = None
        if text is not None and all(cmd.script == -1 for cmd, _ in bad):
            new = text
            for cmd, _ in sorted(bad, key=lambda b: -b[0].start):
                place = manager_subcommand(cmd)
                assert place is not None
                new = insert_after(new, place[2].end, "--auto-remove")
            stage = ctx.dockerfile.stage_of(ins)
            base = stage.info.repository.rsplit("/", 1)[-1].lower() if stage is not None else ""
            safe = (
                stage is not None
                and base in _CLEAN_BASES
                and ctx.dockerfile.stage_by_ref(stage.base) is None
                and removed <= installed_here
                and not removed & _installed_earlier(ctx, ins)
                and not _changes_packages_before(ctx, ins)
            )
            fix = command_fix("add --auto-remove", ins, new, safe=safe)
        yield self.finding(
            ins,
            f"apt-get remove of {shown} without --auto-remove: their dependencies (the compilers and tools they "
            "pulled in) stay in the image; add --auto-remove",
            fix=fix,
        )
