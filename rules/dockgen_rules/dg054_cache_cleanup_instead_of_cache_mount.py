"""DG054: package cache cleanup where a BuildKit cache mount would serve better."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.run import run_commands
from dockgen.shell.syntax import Command

#: cleanup pattern -> the cache mount that replaces it
MOUNTS = {
    "apt": "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked",
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

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    """

    code = "DG054"
    name = "cache-cleanup-instead-of-cache-mount"
    severity = Severity.INFO
    enabled_by_default = False
    message = "a BuildKit cache mount would keep this cache across builds"
    keywords = frozenset({"RUN"})

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        if any(m.get("type") == "cache" for m in ins.mounts):
            return
        for cmd in run_commands(ins):
            kind = _cleanup(cmd)
            if kind is not None:
                yield self.finding(ins, f"{kind} cache is thrown away on every build: use RUN {MOUNTS[kind]}")
                return
