"""DG054: package cache cleanup where a BuildKit cache mount would serve better."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen import _record
from dockgen.ir import Flag, IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Severity
from dockgen.shell.run import run_commands, shell_form_text
from dockgen.shell.syntax import Command, commands

#: cleanup pattern -> the cache mount that replaces it
MOUNTS = {
    "apt": "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked",
    "apk": "--mount=type=cache,target=/etc/apk/cache",
    "pip": "--mount=type=cache,target=/root/.cache/pip",
    "npm": "--mount=type=cache,target=/root/.npm",
    "yarn": "--mount=type=cache,target=/usr/local/share/.cache/yarn",
    "dnf": "--mount=type=cache,target=/var/cache/dnf",
    "yum": "--mount=type=cache,target=/var/cache/yum",
}


def _cleanup(cmd: Command) -> str | None:
    args = [w.text for w in cmd.args]
    if cmd.name == "rm" and any(a.startswith(("/var/lib/apt/lists", "/var/cache/apt")) for a in args):
        return "apt"
    if cmd.name in ("apt-get", "apt") and args[:1] == ["clean"]:
        return "apt"
    if cmd.name == "apk" and "--no-cache" in args:
        return "apk"
    if cmd.name.startswith("pip") and "--no-cache-dir" in args:
        return "pip"
    if cmd.name.startswith("python") and "pip" in args and "--no-cache-dir" in args:
        return "pip"
    if cmd.name == "npm" and args[:2] == ["cache", "clean"]:
        return "npm"
    if cmd.name == "yarn" and args[:2] == ["cache", "clean"]:
        return "yarn"
    if cmd.name in ("dnf", "yum") and args[:1] == ["clean"]:
        return cmd.name
    return None


#: the cache mounts the fix adds, per kind (apt keeps /var/lib/apt/extended_states in the image: only the lists
#: and the downloaded packages are cached)
_FIX_MOUNTS: dict[str, tuple[str, ...]] = {
    "apt": (
        "type=cache,target=/var/cache/apt,sharing=locked",
        "type=cache,target=/var/lib/apt/lists,sharing=locked",
    ),
    "pip": ("type=cache,target=/root/.cache/pip",),
    "npm": ("type=cache,target=/root/.npm",),
}
#: Debian images delete downloaded packages after every install (docker-clean); the cache needs them kept
_APT_KEEP = (
    "rm -f /etc/apt/apt.conf.d/docker-clean"
    " && echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache"
)


def _removal(text: str, cmds: tuple[Command, ...], i: int) -> tuple[int, int] | None:
    """The span of ``text`` that deletes command ``i`` and its ``&&``/``;`` joint (None if it is not joined so)."""
    cmd = cmds[i]
    if i > 0:
        if cmds[i - 1].op not in ("&&", ";"):
            return None
        return cmds[i - 1].end, cmd.end
    if len(cmds) > 1 and cmd.op in ("&&", ";"):
        return cmd.start, cmds[1].start
    return None


def _fixed(ins: IRInstruction, kinds: set[str]) -> IRInstruction | None:
    """``ins`` with the cleanups of ``kinds`` replaced by cache mounts, or None when that cannot be done."""
    text = shell_form_text(ins)
    if text is None or not kinds <= set(_FIX_MOUNTS):
        return None
    cmds = commands(text)
    if any(c.depth for c in cmds):
        return None
    cuts: list[tuple[int, int]] = []
    for i, cmd in enumerate(cmds):
        kind = _cleanup(cmd)
        if kind is None:
            continue
        if kind == "pip":
            cuts.extend((w.start - 1, w.end) for w in cmd.args if w.text == "--no-cache-dir")
            continue
        span = _removal(text, cmds, i)
        if span is None:
            return None
        cuts.append(span)
    new = text
    for start, end in sorted(cuts, reverse=True):
        new = new[:start] + new[end:]
    if "apt" in kinds:
        new = f"{_APT_KEEP} && {new.lstrip()}"
    mounts = tuple(Flag("mount", m) for kind in sorted(kinds) for m in _FIX_MOUNTS[kind])
    return _record.replace(ins, args=(new,), flags=(*ins.flags, *mounts))


class CacheCleanupInsteadOfCacheMount(InstructionRule):
    """
    ## What it does
    A suggestion, off by default: flags `RUN`s that keep package caches out of the layer by deleting or
    disabling them (`rm -rf /var/lib/apt/lists/*`, `apt-get clean`, `apk add --no-cache`,
    `pip install --no-cache-dir`, `npm cache clean`, `yarn cache clean`, `dnf clean all`) and have no
    `--mount=type=cache`, and names the cache mount that would do better.

    ## Why is this bad?
    Cleanup keeps the image small but throws the downloads away, so every rebuild downloads everything
    again. A BuildKit cache mount keeps the cache outside the image, across builds: the image stays small
    and rebuilds are fast. Needs BuildKit (the default builder since Docker 23).

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
    ```

    ## Fix (unsafe)
    For apt, pip and npm the fix does it: it removes the cleanup (`rm -rf /var/lib/apt/lists/*`,
    `apt-get clean`, `pip --no-cache-dir`, `npm cache clean`) and adds the cache mounts. For apt the
    mounts are `/var/cache/apt` and `/var/lib/apt/lists` (not all of `/var/lib/apt`:
    `/var/lib/apt/extended_states`, which records the automatically installed packages for
    `apt-get autoremove`, must stay in the image), and Debian's `docker-clean` is replaced by
    `Keep-Downloaded-Packages` so the downloaded packages reach the cache. Unsafe because the image changes
    (no `docker-clean`) and the build then needs BuildKit.

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    """

    code = "DG054"
    name = "cache-cleanup-instead-of-cache-mount"
    severity = Severity.INFO
    enabled_by_default = False
    message = "a BuildKit cache mount would keep this cache across builds"
    fix_availability = FixAvailability.SOMETIMES
    keywords = frozenset({"RUN"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if any(m.get("type") == "cache" for m in ins.mounts):
            return
        kinds = [k for k in (_cleanup(cmd) for cmd in run_commands(ins)) if k is not None]
        if not kinds:
            return
        kind = kinds[0]
        new = _fixed(ins, set(kinds))
        fix = None
        if new is not None:
            fix = Fix(
                "use cache mounts instead of cleanup",
                (Replace(targets=(ins,), replacement=(new,)),),
                safe=False,
            )
        yield self.finding(
            ins, f"{kind} cache is thrown away on every build: use RUN {MOUNTS[kind]}", fix=fix
        )
