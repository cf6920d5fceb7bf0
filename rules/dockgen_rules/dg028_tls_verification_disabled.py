"""DG028: TLS certificate verification switched off."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import Command, flag_word, run_commands

#: curl short options taking a value (the rest of a cluster is that value).
_CURL_VALUE = "odHuXAbceEKmrTwxyYzCFPQtU"
_FALSE = frozenset({"0", "false", "no", "off"})


def _env_problem(key: str, value: str) -> str | None:
    k, v = key.upper(), value.strip().lower()
    if k == "GIT_SSL_NO_VERIFY" and v:
        return "GIT_SSL_NO_VERIFY makes git skip TLS verification"
    if k == "PYTHONHTTPSVERIFY" and v == "0":
        return "PYTHONHTTPSVERIFY=0 makes Python skip TLS verification"
    if k == "NODE_TLS_REJECT_UNAUTHORIZED" and v == "0":
        return "NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js accept any certificate"
    if k in ("NPM_CONFIG_STRICT_SSL", "YARN_STRICT_SSL") and v in _FALSE:
        return f"{key}={value} makes the package manager accept any certificate"
    if k == "PIP_TRUSTED_HOST" and v:
        return "PIP_TRUSTED_HOST makes pip skip TLS verification for those hosts"
    if k in ("CURL_INSECURE",) and v and v not in _FALSE:
        return "CURL_INSECURE makes curl skip TLS verification"
    return None


_SSLVERIFY = re.compile(r"(?i)\bsslverify\s*=\s*(?:0|false|no|off)\b")
_GIT_SSL = re.compile(r"(?i)^http\.(?:[^=]*\.)?sslverify(?:=(?:0|false|no|off))?$")
_APT_VERIFY = re.compile(r"(?i)acquire::https?::(?:[^=]*::)?verify-(?:peer|host)\s*=\s*\"?(?:false|0|no)")


def _command_problem(cmd: Command, cmds: tuple[Command, ...], i: int) -> str | None:
    for key, value in cmd.assignments:
        found = _env_problem(key, value)
        if found:
            return found
    name = cmd.name
    args = [w.text for w in cmd.args]
    low = [a.lower() for a in args]
    if name == "curl" and flag_word(cmd, "-k", "--insecure", value_flags=_CURL_VALUE):
        return "curl -k/--insecure skips TLS verification"
    if name == "wget" and "--no-check-certificate" in args:
        return "wget --no-check-certificate skips TLS verification"
    if name in ("pip", "pip3") or (name.startswith("python") and "pip" in args):
        if any(a == "--trusted-host" or a.startswith("--trusted-host=") for a in args):
            return "pip --trusted-host skips TLS verification"
        if "config" in args and any("trusted-host" in a for a in low):
            return "pip config trusted-host skips TLS verification"
    if name in ("npm", "yarn", "pnpm"):
        joined = " ".join(low)
        if re.search(r"strict[-_]ssl(?:\s+|=)(?:false|0)", joined) or "--strict-ssl=false" in low:
            return f"{name} strict-ssl false accepts any certificate"
    if name == "git":
        for j, a in enumerate(low):
            if _GIT_SSL.match(a) and (("=" in a) or (j + 1 < len(low) and low[j + 1] in _FALSE)):
                return "git http.sslVerify false skips TLS verification"
    if name in ("yum", "dnf", "microdnf", "yum-config-manager", "dnf-config-manager", "tdnf") and any(
        _SSLVERIFY.search(a) for a in args
    ):
        return f"{name} sslverify=0 skips TLS verification"
    if name in ("apt-get", "apt") and any(_APT_VERIFY.search(a) for a in args):
        return "apt Verify-Peer=false skips TLS verification"
    if name == "conda" and "ssl_verify" in low and any(a in _FALSE for a in low):
        return "conda ssl_verify false skips TLS verification"
    if name in ("echo", "printf") and i + 1 <= len(cmds):
        text = " ".join(args)
        if _SSLVERIFY.search(text) and any("yum" in r.target or "dnf" in r.target for r in cmd.redirects):
            return "sslverify=0 in the yum/dnf configuration skips TLS verification"
        if _APT_VERIFY.search(text):
            return "an apt configuration with Verify-Peer false skips TLS verification"
    return None


class TlsVerificationDisabled(InstructionRule):
    """
    ## What it does
    Flags switched-off TLS certificate verification: `curl -k`/`--insecure`, `wget --no-check-certificate`,
    `pip --trusted-host` (and `PIP_TRUSTED_HOST`), npm/yarn `strict-ssl false`, `git -c http.sslVerify=false`
    and `git config http.sslVerify false`, `GIT_SSL_NO_VERIFY`, `PYTHONHTTPSVERIFY=0`,
    `NODE_TLS_REJECT_UNAUTHORIZED=0`, yum/dnf `sslverify=0`, apt `Acquire::https::Verify-Peer=false`, and conda
    `ssl_verify false` — in `RUN` commands, `ENV` and `ARG`.

    ## Why is this bad?
    Without verification anyone on the network path (a proxy, a compromised mirror, hostile Wi-Fi on a
    laptop build) can substitute what the build downloads, and the result runs in production. Fix the trust
    store instead: install `ca-certificates`, or add your proxy's CA.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -kfsSLo /tmp/tool.tar.gz https://example.com/tool.tar.gz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSLo /tmp/tool.tar.gz https://example.com/tool.tar.gz
    ```

    ## References
    - Checkov CKV2_DOCKER_2, CKV2_DOCKER_3, CKV2_DOCKER_4, CKV2_DOCKER_5, CKV2_DOCKER_6, CKV2_DOCKER_12,
      CKV2_DOCKER_13, CKV2_DOCKER_14, CKV2_DOCKER_15, CKV2_DOCKER_16
    """

    code = "DG028"
    name = "tls-verification-disabled"
    severity = Severity.ERROR
    message = "TLS certificate verification is disabled"
    equivalents = (
        "CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6",
        "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16",
    )  # fmt: skip
    keywords = frozenset({"RUN", "ENV", "ARG"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        if ins.keyword in ("ENV", "ARG"):
            for kv in ins.pairs:
                found = _env_problem(kv.key, kv.unquoted or "")
                if found:
                    yield self.finding(ins, found)
            return
        cmds = run_commands(ins)
        for i, cmd in enumerate(cmds):
            found = _command_problem(cmd, cmds, i)
            if found:
                yield self.finding(ins, found)
                return
