"""DG029: packages installed without signature checks."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.argv import program
from dockgen.shell.run import FileWrite, file_writes, run_commands

_APT_UNAUTH = lazy_compile(
    r"(?i)APT::Get::AllowUnauthenticated\s*=\s*\"?(?:true|1|yes)|Acquire::AllowInsecureRepositories\s*=\s*\"?(?:true|1|yes)"
)
_GPGCHECK = lazy_compile(r"(?i)^(?:--setopt=)?(?:[\w.-]+\.)?(?:gpgcheck|repo_gpgcheck)=(?:0|false|no)$")
#: ``gpgcheck=0`` as a line of a yum/dnf/zypper repository file.
_GPGCHECK_LINE = lazy_compile(r"(?im)^\s*(?:pkg_|repo_)?gpgcheck\s*=\s*(?:0|false|no|off)\b")
#: ``[trusted=yes]`` (or ``allow-insecure=yes``) in the options of a one-line apt source.
_APT_TRUSTED = lazy_compile(r"(?i)\[[^\]]*\b(?:trusted|allow-insecure|allow-weak)=yes\b[^\]]*\]")
#: ``Trusted: yes`` in a deb822 ``.sources`` file.
_DEB822_TRUSTED = lazy_compile(r"(?im)^\s*(?:trusted|allow-insecure|allow-weak):\s*yes\b")
_SED_GPG_OFF = lazy_compile(r"(?i)gpgcheck\s*=\s*(?:0|false|no)\b")


def _written_problem(write: FileWrite) -> str | None:
    """A repository or apt configuration written by ``echo``/``printf``/``tee``/a here-document that turns
    signature checks off."""
    targets = " ".join(write.targets).lower()
    if _GPGCHECK_LINE.search(write.text) and any(m in targets for m in ("yum", "dnf", ".repo", "zypp")):
        return "gpgcheck=0 in a repository file"
    if "apt" in targets or "sources.list" in targets:
        if _APT_TRUSTED.search(write.text):
            return "an apt source marked [trusted=yes]"
        if _DEB822_TRUSTED.search(write.text):
            return "an apt source marked Trusted: yes"
        if _APT_UNAUTH.search(write.text):
            return "an apt configuration allowing unauthenticated packages"
    return None


class UnauthenticatedPackages(InstructionRule):
    """
    ## What it does
    Flags package installs that skip signature verification: `apk --allow-untrusted`,
    `apt-get --allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes`,
    `-o APT::Get::AllowUnauthenticated=true`, `yum`/`dnf`/`tdnf`/`zypper` `--nogpgcheck` or
    `--setopt=gpgcheck=0`, `zypper --no-gpg-checks`, and `rpm --nosignature`/`--nodigest`. Also repository
    definitions that turn the checks off: `gpgcheck=0` written into a `.repo` file (with `echo`/`printf`, `tee`,
    a here-document, `COPY <<EOF`, or `sed`), and apt sources marked `[trusted=yes]` (one-line format, also via
    `add-apt-repository`) or `Trusted: yes` (deb822 `.sources`).

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
    keywords = frozenset({"RUN", "COPY", "ADD"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for write in file_writes(ins):
            found = _written_problem(write)
            if found:
                yield self.finding(ins, f"{found} installs packages without checking their signatures")
                return
        if ins.keyword != "RUN":
            return
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
            elif prog == "add-apt-repository" and any(_APT_TRUSTED.search(a) for a in args):
                bad = "add-apt-repository [trusted=yes]"
            elif prog == "sed" and any(_SED_GPG_OFF.search(a) for a in args):
                bad = "sed setting gpgcheck=0"
            elif prog == "rpm":
                for a in args:
                    if a in ("--nosignature", "--nodigest", "--nosig"):
                        bad = f"rpm {a}"
            if bad:
                yield self.finding(ins, f"{bad} installs packages without checking their signatures")
                return
