"""DG152: packages installed without signature checks."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import Command, has_flag, program, run_commands

_APT = frozenset({"apt-get", "apt", "aptitude"})
_RPM_MANAGERS = frozenset({"yum", "dnf", "microdnf", "tdnf"})
_APT_OPTION_OFF = re.compile(
    r"(?i)(?:apt::get::allowunauthenticated|acquire::allowinsecurerepositories|"
    r"acquire::allowdowngradetoinsecurerepositories)\s*=\s*\"?(?:true|1|yes)"
)
_TRUSTED_YES = re.compile(r"\[[^\]]*\btrusted=yes\b[^\]]*\]")
_GPGCHECK_OFF = re.compile(r"(?i)(?:^|\\n|[^a-z0-9_])(?:repo_)?gpgcheck\s*=\s*(?:0|false|no)\b")


def unauthenticated(cmd: Command) -> str | None:
    """Why ``cmd`` installs or trusts packages without checking their signatures, else None."""
    prog, first = program(cmd)
    words = [w.text for w in cmd.words]
    if prog == "apk" and has_flag(cmd, "--allow-untrusted", start=first):
        return "apk --allow-untrusted installs unsigned packages"
    if prog in _APT:
        for flag in ("--allow-unauthenticated", "--force-yes", "--allow-insecure-repositories"):
            if has_flag(cmd, flag, start=first):
                return f"{prog} {flag} installs packages without checking their signatures"
        if any(_APT_OPTION_OFF.search(w) for w in words):
            return f"{prog} -o ...Allow...=true installs packages without checking their signatures"
    if prog in _RPM_MANAGERS and (
        has_flag(cmd, "--nogpgcheck", start=first) or any(_GPGCHECK_OFF.search(w) for w in words)
    ):
        return f"{prog} --nogpgcheck installs packages without checking their signatures"
    if prog == "rpm":
        for flag in ("--nosignature", "--nodigest"):
            if has_flag(cmd, flag, start=first):
                return f"rpm {flag} installs packages without checking them"
    if prog == "zypper" and has_flag(cmd, "--no-gpg-checks", start=first):
        return "zypper --no-gpg-checks installs packages without checking their signatures"
    if any(_TRUSTED_YES.search(w) for w in words):
        return "an apt source marked [trusted=yes] is used without signature checks"
    if any(_GPGCHECK_OFF.search(w) for w in words):
        return "gpgcheck=0 turns off package signature checks"
    return None


class UnauthenticatedPackages(InstructionRule):
    """
    ## What it does
    Flags `RUN` commands that install or trust packages without verifying their signatures:
    `apk --allow-untrusted`, `apt-get --allow-unauthenticated` / `--force-yes` /
    `--allow-insecure-repositories` (or the equivalent `-o` options), apt sources marked `[trusted=yes]`,
    `yum`/`dnf`/`microdnf --nogpgcheck` and `gpgcheck=0`, `rpm --nosignature`/`--nodigest`,
    `zypper --no-gpg-checks`.

    ## Why is this bad?
    Package signatures are what proves a package comes from its publisher. Without them a compromised mirror
    or a network attacker can put any code into the image. Import the repository's signing key instead.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache --allow-untrusted /tmp/custom-1.0.apk
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    COPY custom.rsa.pub /etc/apk/keys/
    RUN apk add --no-cache /tmp/custom-1.0.apk
    ```

    ## References
    - Checkov CKV2_DOCKER_7, CKV2_DOCKER_8, CKV2_DOCKER_9, CKV2_DOCKER_10, CKV2_DOCKER_11
    """

    code = "DG152"
    name = "unauthenticated-packages"
    severity = Severity.ERROR
    message = "packages are installed without signature checks"
    equivalents = ("CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            why = unauthenticated(cmd)
            if why:
                yield self.finding(ins, f"{why}: import the repository's signing key instead")
                return
