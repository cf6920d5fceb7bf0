"""DG151: ENV/ARG turns TLS certificate verification off."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import Instruction, unquote
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen_rules.dg150_tls_verification_disabled import insecure_variable


class TlsVerificationDisabledByVariable(InstructionRule):
    """
    ## What it does
    Flags `ENV` and `ARG` (with a default) that turn TLS certificate verification off for every later
    command: `GIT_SSL_NO_VERIFY`, `PYTHONHTTPSVERIFY=0`, `NODE_TLS_REJECT_UNAUTHORIZED=0`,
    `NPM_CONFIG_STRICT_SSL=false`, `YARN_ENABLE_STRICT_SSL=false`, `PIP_TRUSTED_HOST`, `UV_INSECURE_HOST` and
    an empty `CURL_CA_BUNDLE`/`REQUESTS_CA_BUNDLE`.

    ## Why is this bad?
    An `ENV` stays in the image, so the application also runs without certificate checks, and every build
    step after it downloads without them: anyone on the network path can substitute content. Fix the trust
    store instead (install `ca-certificates` or your proxy's CA certificate).

    ## Example
    ```dockerfile
    FROM node:20-slim
    ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    COPY corporate-ca.crt /usr/local/share/ca-certificates/
    ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corporate-ca.crt
    ```

    ## References
    - Checkov CKV2_DOCKER_5, CKV2_DOCKER_6, CKV2_DOCKER_12, CKV2_DOCKER_14, CKV2_DOCKER_16
    - https://nodejs.org/api/cli.html#node_extra_ca_certsfile
    """

    code = "DG151"
    name = "tls-verification-disabled-by-variable"
    severity = Severity.ERROR
    message = "an ENV/ARG disables TLS certificate verification"
    equivalents = ("CKV2_DOCKER_5", "CKV2_DOCKER_6", "CKV2_DOCKER_12", "CKV2_DOCKER_14", "CKV2_DOCKER_16")
    keywords = frozenset({"ENV", "ARG"})
    include_onbuild = True

    def check_instruction(self, ins: Instruction, ctx: LintContext) -> Iterable[Finding]:
        for kv in ins.pairs:
            if kv.value is None:
                continue
            why = insecure_variable(unquote(kv.key), kv.value)
            if why:
                yield self.finding(ins, f"{ins.keyword}: {why}; install the right CA certificates instead")
