"""DG028: TLS certificate verification switched off."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.argv import flag_word
from dockgen.shell.run import FileWrite, file_writes, run_commands
from dockgen.shell.syntax import Command

#: curl short options taking a value (the rest of a cluster is that value).
_CURL_VALUE = "odHuXAbceEKmrTwxyYzCFPQtU"
_FALSE = frozenset({"0", "false", "no", "off"})


def _env_problem(key: str, value: str | None) -> str | None:
    """Why setting ``key`` to ``value`` (None: declared without a value) disables TLS checks, or None."""
    if value is None:
        return None
    k, v = key.upper(), value.strip().lower()
    if k == "GIT_SSL_NO_VERIFY" and v:
        return "GIT_SSL_NO_VERIFY makes git skip TLS verification"
    if k == "PYTHONHTTPSVERIFY" and v in _FALSE:
        return f"PYTHONHTTPSVERIFY={value} asks Python to skip TLS verification"
    if k == "NODE_TLS_REJECT_UNAUTHORIZED" and v in _FALSE:
        return f"NODE_TLS_REJECT_UNAUTHORIZED={value} asks Node.js to accept any certificate"
    if k in ("NPM_CONFIG_STRICT_SSL", "YARN_STRICT_SSL") and v in _FALSE:
        return f"{key}={value} makes the package manager accept any certificate"
    if k == "PIP_TRUSTED_HOST" and v:
        return "PIP_TRUSTED_HOST makes pip skip TLS verification for those hosts"
    if k == "UV_INSECURE_HOST" and v:
        return "UV_INSECURE_HOST makes uv skip TLS verification for those hosts"
    if k in ("CURL_INSECURE",) and v and v not in _FALSE:
        return "CURL_INSECURE makes curl skip TLS verification"
    if k in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") and not v:
        return f"an empty {key} switches off certificate verification in Python requests"
    return None


_SSLVERIFY = lazy_compile(r"(?i)\bsslverify\s*=\s*(?:0|false|no|off)\b")
_GIT_SSL = lazy_compile(r"(?i)^http\.(?:[^=]*\.)?sslverify(?:=(?:0|false|no|off))?$")
_APT_VERIFY = lazy_compile(
    r"(?i)acquire::https?::(?:[^=]*::)?verify-(?:peer|host)\s*=?\s*\"?(?:false|0|no)\b"
)
_PIP_CONF_TRUSTED = lazy_compile(r"(?im)^\s*trusted[-_]host\s*=\s*\S")
_NPMRC_STRICT = lazy_compile(r"(?im)^\s*strict-ssl\s*=\s*(?:false|0)\b")
#: Assignments made by these builtins are in effect for the rest of the RUN.
_EXPORTERS = frozenset({"export", "declare", "typeset", "readonly", "local"})


def _command_problem(cmd: Command) -> str | None:
    for key, value in cmd.assignments:
        found = _env_problem(key, value)
        if found:
            return found
    name = cmd.name
    args = [w.text for w in cmd.args]
    low = [a.lower() for a in args]
    if name in _EXPORTERS:
        for a in args:
            if "=" in a and not a.startswith("-"):
                found = _env_problem(*a.split("=", 1))
                if found:
                    return found
    if name == "uv" and any(
        a in ("--allow-insecure-host", "--trusted-host")
        or a.startswith(("--allow-insecure-host=", "--trusted-host="))
        for a in args
    ):
        return "uv --allow-insecure-host skips TLS verification"
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
    return None


def _written_problem(write: FileWrite) -> str | None:
    """A configuration file written by ``echo``/``printf``/``tee``/here-document that disables TLS checks."""
    targets = " ".join(write.targets).lower()
    if _SSLVERIFY.search(write.text) and any(m in targets for m in ("yum", "dnf", ".repo", "zypp")):
        return "sslverify=0 in a yum/dnf repository file skips TLS verification"
    if _APT_VERIFY.search(write.text) and "apt" in targets:
        return "an apt configuration with Verify-Peer false skips TLS verification"
    if _PIP_CONF_TRUSTED.search(write.text) and ("pip.conf" in targets or "pip.ini" in targets):
        return "trusted-host in pip.conf makes pip skip TLS verification"
    if _NPMRC_STRICT.search(write.text) and "npmrc" in targets:
        return "strict-ssl=false in .npmrc makes npm accept any certificate"
    return None


class TlsVerificationDisabled(InstructionRule):
    """
    ## What it does
    Flags switched-off TLS certificate verification: `curl -k`/`--insecure`, `wget --no-check-certificate`,
    `pip --trusted-host` (and `PIP_TRUSTED_HOST`), `uv --allow-insecure-host` (and `UV_INSECURE_HOST`),
    npm/yarn `strict-ssl false`, `git -c http.sslVerify=false` and `git config http.sslVerify false`,
    `GIT_SSL_NO_VERIFY`, `PYTHONHTTPSVERIFY=0`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, an empty
    `REQUESTS_CA_BUNDLE`/`CURL_CA_BUNDLE` (which older versions of Python requests took as "do not verify"),
    yum/dnf `sslverify=0`, apt `Acquire::https::Verify-Peer=false`, and conda `ssl_verify false` — in `RUN`
    commands (including `export NAME=value`), `ENV` and `ARG` (every pair, not just the first), and in
    configuration files written with `echo`/`printf`/`tee`/a here-document or `COPY <<EOF` (a `.repo` file
    with `sslverify=0`, an apt configuration, `pip.conf` with `trusted-host`, `.npmrc` with
    `strict-ssl=false`). `PYTHONHTTPSVERIFY` and `NODE_TLS_REJECT_UNAUTHORIZED` are also flagged for
    `false`/`no`/`off`: the runtimes honour only `0`, but the intent is plain.

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
    keywords = frozenset({"RUN", "ENV", "ARG", "COPY", "ADD"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if ins.keyword in ("ENV", "ARG"):
            for kv in ins.pairs:
                found = _env_problem(kv.key, kv.unquoted if kv.value is not None else None)
                if found:
                    yield self.finding(ins, found)
            return
        for write in file_writes(ins):
            found = _written_problem(write)
            if found:
                yield self.finding(ins, found)
                return
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            found = _command_problem(cmd)
            if found:
                yield self.finding(ins, found)
                return
