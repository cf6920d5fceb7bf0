"""DG143: a credentials file copied into the image."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen_rules._copy import context_sources

#: File name patterns that hold credentials (matched against the last path component, lower-cased).
SECRET_FILES: tuple[str, ...] = (
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "credentials",
    "credentials.json",
    "service-account*.json",
    ".dockercfg",
    "kubeconfig",
    "chap-secrets",
    "pap-secrets",
    "ipsec.secrets",
    "*.secrets",
    "shadow",
    "gshadow",
    ".htpasswd",
    "htpasswd",
    "*.keytab",
    "*.jks",
    "*.keystore",
)
_NOT_SECRET = ("*.pub", ".env.example", ".env.sample", ".env.template", ".env.dist")


def secret_file(path: str) -> str | None:
    """The credentials-file pattern ``path`` matches, else None."""
    name = posixpath.basename(path.rstrip("/")).lower()
    if any(fnmatch.fnmatchcase(name, p) for p in _NOT_SECRET):
        return None
    for pattern in SECRET_FILES:
        if fnmatch.fnmatchcase(name, pattern):
            return pattern
    return None


class SecretFileCopied(InstructionRule):
    """
    ## What it does
    Flags `COPY`/`ADD` from the build context of files that typically hold credentials: SSH private keys
    (`id_rsa`, `id_ed25519`...), `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `.env` files, `*.pem`,
    `*.key`, `*.p12`, cloud `credentials` files and kubeconfigs. Public keys and `.env.example` are fine.

    ## Why is this bad?
    Whatever is copied stays in a layer, even if a later step deletes it: anyone who can pull the image
    can read it. Mount the file for the one step that needs it (`RUN --mount=type=secret`) or use
    `--mount=type=ssh` for SSH keys.

    ## Example
    ```dockerfile
    FROM node:20-slim
    COPY .npmrc package.json package-lock.json ./
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    COPY package.json package-lock.json ./
    RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    ```

    ## References
    - https://docs.docker.com/build/building/secrets/
    """

    code = "DG143"
    name = "secret-file-copied"
    severity = Severity.ERROR
    message = "a credentials file is copied into the image"
    keywords = frozenset({"COPY", "ADD"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for src in context_sources(ins):
            if secret_file(src):
                yield self.finding(
                    ins,
                    f"{ins.keyword} of '{src}' puts credentials into a layer: use RUN --mount=type=secret instead",
                )
                return
