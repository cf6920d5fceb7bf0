"""DG038: a package index update in a RUN of its own."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import IRInstruction
from dockgen.lint.edits import with_command
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.packages import manager_subcommand
from dockgen.shell.run import run_commands

#: manager -> (update subcommands, subcommands that use the fresh index)
MANAGERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "apt-get": (frozenset({"update"}), frozenset({"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download"})),
    "apt": (frozenset({"update"}), frozenset({"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download"})),
    "apk": (frozenset({"update"}), frozenset({"add", "upgrade", "fix"})),
}  # fmt: skip


def _usage(ins: IRInstruction) -> tuple[set[str], set[str]]:
    """Managers whose index ``ins`` updates, and managers it installs/upgrades with."""
    updates: set[str] = set()
    uses: set[str] = set()
    if ins.keyword != "RUN":
        return updates, uses
    for cmd in run_commands(ins):
        found = manager_subcommand(cmd)
        if found is None or found[0] not in MANAGERS:
            continue
        manager, _, sub = found
        family = "apt" if manager in ("apt", "apt-get") else manager
        if sub.text in MANAGERS[manager][0]:
            updates.add(family)
        elif sub.text in MANAGERS[manager][1]:
            uses.add(family)
    return updates, uses


def _plain(ins: IRInstruction) -> bool:
    return ins.keyword == "RUN" and not ins.is_exec and not ins.heredocs and bool(ins.args)


class PackageUpdateWithoutInstall(Rule):
    """
    ## What it does
    Flags a `RUN` that updates a package index (`apt-get update`, `apt update`, `apk update`) without
    installing or upgrading with that manager in the same `RUN`. When the very next instruction is a `RUN`
    that installs with it, the fix merges the two (`update && install`); the fix is safe, the same commands
    run in the same order.

    ## Why is this bad?
    The build cache keeps the update layer forever: when you later add a package to the install line, the
    old index from the cached layer is used and the install fails with "404 Not Found" or installs stale
    versions. Update and install must be one `RUN`.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update
    RUN apt-get install -y --no-install-recommends curl
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## References
    - Trivy DS-0017, Checkov CKV_DOCKER_5
    - https://docs.docker.com/build/building/best-practices/#apt-get
    """

    code = "DG038"
    name = "package-update-without-install"
    severity = Severity.WARNING
    message = "package index update in a RUN without the install"
    fix_availability = FixAvailability.SOMETIMES
    equivalents = ("DS-0017", "CKV_DOCKER_5")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            body = stage.instructions
            for i, ins in enumerate(body):
                updates, uses = _usage(ins)
                alone = updates - uses
                if not alone:
                    continue
                fix = None
                nxt = body[i + 1] if i + 1 < len(body) else None
                if (
                    nxt is not None
                    and _plain(ins)
                    and _plain(nxt)
                    and nxt.flags == ins.flags
                    and alone & _usage(nxt)[1]
                ):
                    text = ins.args[0].strip().rstrip(";").rstrip()
                    if "#" not in text:
                        merged = with_command(ins, text + " && " + nxt.args[0].strip())
                        fix = Fix(
                            "merge the update with the next RUN's install",
                            (Replace(targets=(ins, nxt), replacement=(merged,)),),
                        )
                names = ", ".join(sorted(alone))
                yield self.finding(ins, f"{names} index updated without installing in the same RUN", fix=fix)
