"""DG150: a RUN command turns TLS certificate verification off."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell import Command, has_flag, program, run_commands

_FALSE = frozenset({"0", "false", "no", "off"})
_CURL_VALUE_FLAGS = "HdDuXAebcoTxwmrFEKCzyYtQ"
_SSLVERIFY_OFF = re.compile(r"(?i)(?:^|\\n|[^a-z0-9_])sslverify\s*=\s*(?:0|false|no)\b")
_APT_VERIFY_OFF = re.compile(r"(?i)acquire::https?::(?:[^:=\s]+::)?verify-(?:peer|host)\s*=\s*\"?false")
_GIT_VERIFY_OFF = re.compile(r"(?i)^http\.(?:[^=]*\.)?sslverify=(?:false|0|no|off)$")


def insecure_variable(name: str, value: str) -> str | None:
    """Why setting ``name=value`` in the environment turns TLS verification off, else None."""
    upper = name.upper()
    low = value.strip().strip("'\"").lower()
    if upper == "GIT_SSL_NO_VERIFY" and low not in ("",):
        return "GIT_SSL_NO_VERIFY makes git skip certificate checks"
    if upper == "PYTHONHTTPSVERIFY" and low in _FALSE:
        return "PYTHONHTTPSVERIFY=0 makes Python skip certificate checks"
    if upper == "NODE_TLS_REJECT_UNAUTHORIZED" and low in _FALSE:
        return "NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js accept any certificate"
    if upper == "NPM_CONFIG_STRICT_SSL" and low in _FALSE:
        return "npm_config_strict_ssl=false makes npm accept any certificate"
    if upper == "YARN_ENABLE_STRICT_SSL" and low in _FALSE:
        return "YARN_ENABLE_STRICT_SSL=false makes yarn accept any certificate"
    if upper in ("PIP_TRUSTED_HOST", "UV_INSECURE_HOST") and low:
        return f"{upper} makes pip/uv skip certificate checks for those hosts"
    if upper in ("CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE") and value.strip().strip("'\"") == "" and value != "":
        return f"an empty {upper} makes requests skip certificate checks"
    return None


def _config_off(words: list[str], key: str) -> bool:
    """``... config set <key> false`` / ``--<key>=false`` / ``--<key> false`` among ``words``."""
    low = [w.lower() for w in words]
    for i, w in enumerate(low):
        if w in (key, f"--{key}") and i + 1 < len(low) and low[i + 1] in _FALSE:
            return True
        if w.startswith(f"--{key}=") and w.split("=", 1)[1] in _FALSE:
            return True
        if w.startswith(f"{key}=") and w.split("=", 1)[1] in _FALSE:
            return True
    return False


def insecure_command(cmd: Command) -> str | None:
    """Why ``cmd`` disables TLS verification, else None."""
    for name, value in cmd.assignments:
        why = insecure_variable(name, value)
        if why:
            return why
    prog, first = program(cmd)
    words = [w.text for w in cmd.words]
    if prog == "export":
        for w in words[1:]:
            name, sep, value = w.partition("=")
            why = insecure_variable(name, value) if sep else None
            if why:
                return why
        return None
    if prog == "curl" and has_flag(cmd, "-k", "--insecure", value_flags=_CURL_VALUE_FLAGS):
        return "curl -k/--insecure accepts any certificate"
    if prog == "wget" and has_flag(cmd, "--no-check-certificate"):
        return "wget --no-check-certificate accepts any certificate"
    if prog == "pip" and (has_flag(cmd, "--trusted-host", start=first) or "global.trusted-host" in words):
        return "pip --trusted-host skips certificate checks for that host"
    if prog == "uv" and has_flag(cmd, "--allow-insecure-host", start=first):
        return "uv --allow-insecure-host skips certificate checks"
    if prog in ("npm", "yarn", "pnpm") and (
        _config_off(words[first:], "strict-ssl") or _config_off(words[first:], "enablestrictssl")
    ):
        return f"{prog} strict-ssl=false accepts any certificate"
    if prog == "git":
        if any(_GIT_VERIFY_OFF.match(w) for w in words):
            return "git http.sslVerify=false skips certificate checks"
        if _config_off(words[first:], "http.sslverify"):
            return "git http.sslVerify=false skips certificate checks"
    if prog == "conda" and _config_off(words[first:], "ssl_verify"):
        return "conda ssl_verify=false skips certificate checks"
    if any(_SSLVERIFY_OFF.search(w) for w in words):
        return "sslverify=0 makes yum/dnf skip certificate checks"
    if any(_APT_VERIFY_OFF.search(w) for w in words):
        return "Acquire::https::Verify-Peer=false makes apt skip certificate checks"
    return None


class TlsVerificationDisabled(InstructionRule):
    """
    ## What it does
    Flags `RUN` commands that turn TLS certificate verification off: `curl -k`/`--insecure`,
    `wget --no-check-certificate`, `pip --trusted-host`, `uv --allow-insecure-host`, `npm`/`yarn`/`pnpm`
    `strict-ssl false`, `git -c http.sslVerify=false`, `conda ... ssl_verify false`, yum/dnf `sslverify=0`,
    apt `Acquire::https::Verify-Peer=false`, and the variables `GIT_SSL_NO_VERIFY`, `PYTHONHTTPSVERIFY=0`,
    `NODE_TLS_REJECT_UNAUTHORIZED=0`, `npm_config_strict_ssl=false`, `PIP_TRUSTED_HOST` set for a command or
    exported. (The same variables set by `ENV`/`ARG` are DG151.)

    ## Why is this bad?
    Without verification anyone on the network path can serve a different file or package, and it ends up in
    the image. Fix the trust store instead: install `ca-certificates`, or add your proxy's CA certificate.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSLk https://example.com/tool.tar.gz -o /tmp/tool.tar.gz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSL https://example.com/tool.tar.gz -o /tmp/tool.tar.gz
    ```

    ## References
    - Checkov CKV2_DOCKER_2, CKV2_DOCKER_3, CKV2_DOCKER_4, CKV2_DOCKER_5, CKV2_DOCKER_6, CKV2_DOCKER_12,
      CKV2_DOCKER_13, CKV2_DOCKER_14, CKV2_DOCKER_15, CKV2_DOCKER_16
    """

    code = "DG150"
    name = "tls-verification-disabled"
    severity = Severity.ERROR
    message = "TLS certificate verification is disabled"
    equivalents = (
        "CKV2_DOCKER_2",
        "CKV2_DOCKER_3",
        "CKV2_DOCKER_4",
        "CKV2_DOCKER_5",
        "CKV2_DOCKER_6",
        "CKV2_DOCKER_12",
        "CKV2_DOCKER_13",
        "CKV2_DOCKER_14",
        "CKV2_DOCKER_15",
        "CKV2_DOCKER_16",
    )
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for cmd in run_commands(ins):
            why = insecure_command(cmd)
            if why:
                yield self.finding(ins, f"{why}: install the right CA certificates instead")
                return
