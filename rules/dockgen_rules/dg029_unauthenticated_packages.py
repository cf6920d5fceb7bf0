"""DG029: packages installed without signature checks."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import program, run_commands

_APT_UNAUTH = re.compile(
    r"(?i)APT::Get::AllowUnauthenticated\s*=\s*\"?(?:true|1|yes)|Acquire::AllowInsecureRepositories\s*=\s*\"?(?:true|1|yes)"
)
_GPGCHECK = re.compile(r"(?i)^(?:--setopt=)?(?:[\w.-]+\.)?(?:gpgcheck|repo_gpgcheck)=(?:0|false|no)$")


class UnauthenticatedPackages(InstructionRule):
    """
    ## What it does
    Flags package installs that skip signature verification: `apk --allow-untrusted`,
    `apt-get --allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes`,
    `-o APT::Get::AllowUnauthenticated=true`, `yum`/`dnf`/`tdnf`/`zypper` `--nogpgcheck` or
    `--setopt=gpgcheck=0`, `zypper --no-gpg-checks`, and `rpm --nosignature`/`--nodigest`.

    ## Why is this bad?
    Signatures are what proves a package comes from the distribution and was not altered by a mirror or a
    man in the middle. Without them anything served to the build gets installed as root.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache --allow-untrusted /tmp/tool.apk
    ```

    ## Use instead
    ```dockerfile
    FROM alpine:3.20
    COPY keys/tool.rsa.pub /etc/apk/keys/
    RUN apk add --no-cache /tmp/tool.apk
    ```

    ## References
    - Checkov CKV2_DOCKER_7, CKV2_DOCKER_8, CKV2_DOCKER_9, CKV2_DOCKER_10, CKV2_DOCKER_11
    """

    code = "DG029"
    name = "unauthenticated-packages"
    severity = Severity.ERROR
    message = "packages are installed without signature verification"
    equivalents = ("CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11")
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            prog, _ = program(cmd)
            args = [w.text for w in cmd.args]
            bad: str | None = None
            if prog == "apk" and "--allow-untrusted" in args:
                bad = "apk --allow-untrusted"
            elif prog in ("apt-get", "apt", "aptitude"):
                for a in args:
                    if a in ("--allow-unauthenticated", "--force-yes", "--allow-insecure-repositories"):
                        bad = f"{prog} {a}"
                    elif _APT_UNAUTH.search(a):
                        bad = f"{prog} -o {a}"
            elif prog in ("yum", "dnf", "microdnf", "tdnf", "zypper", "yum-config-manager"):
                for a in args:
                    if a in ("--nogpgcheck", "--no-gpg-checks", "--no-gpgcheck") or _GPGCHECK.match(a):
                        bad = f"{prog} {a}"
            elif prog == "rpm":
                for a in args:
                    if a in ("--nosignature", "--nodigest", "--nosig"):
                        bad = f"rpm {a}"
            if bad:
                yield self.finding(ins, f"{bad} installs packages without checking their signatures")
                return
