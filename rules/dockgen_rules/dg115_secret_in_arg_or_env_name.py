"""DG115: ARG/ENV whose name says it holds a secret."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._lazyre import lazy_compile
from dockgen.ir import unquote
from dockgen.lint.rule import Finding, LintContext, Rule, Severity

# The same word list BuildKit's SecretsUsedInArgOrEnv check uses: a secret word as the whole name or as its
# first or last ``_``-separated part (``API_KEY``, ``DB_PASSWORD_HASH`` does not end in it...).
_SECRET_WORDS = (
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
)
_SECRET_RE = lazy_compile(r"(?i)(?:_|^)(?:" + "|".join(_SECRET_WORDS) + r")(?:_|$)")
_ALLOW_RE = lazy_compile(r"(?i)(?:_|^)public(?:_|$)")
# dockgen also lets through names that point at a secret rather than hold one, and well-known public keys.
_POINTER_RE = lazy_compile(r"(?i)_(?:file|path|dir|url|id)$")
_PUBLIC_NAMES = frozenset({"GPG_KEY", "GPG_KEYS", "GPG_KEY_ID", "PUBLIC_KEY", "KEY_SERVER", "KEYSERVER"})


_PLAIN_VALUE = lazy_compile(
    r"""(?ix)^(?:
        v?\d+(?:\.\d+)+[\w.+~-]*      # a version: 1.5.0, v2.3.1-rc1
      | [~.]?/[^\s:]*                 # a file path: /run/secrets/key, ./key.pem
      | true|false|yes|no|on|off|[01]  # a switch
    )$"""
)


def plainly_not_secret(value: str | None) -> bool:
    """A value that cannot be a secret: a version number, a file path or a boolean switch."""
    return value is not None and bool(_PLAIN_VALUE.match(unquote(value).strip()))


def secret_looking(name: str) -> bool:
    """Whether an ARG/ENV name looks like it holds a secret."""
    if not _SECRET_RE.search(name) or _ALLOW_RE.search(name):
        return False
    upper = name.upper()
    if upper in _PUBLIC_NAMES or "GPG" in upper.split("_") or upper.endswith(("_GPG_KEY", "_GPG_KEYS")):
        return False  # an OpenPGP key id/fingerprint to verify downloads with: public by design
    return not _POINTER_RE.search(name)


class SecretInArgOrEnvName(Rule):
    """
    ## What it does
    Flags `ARG` and `ENV` whose name says it carries a secret: a name that is, starts with or ends with
    `apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token` (the words
    BuildKit's `SecretsUsedInArgOrEnv` check uses; `public` names are allowed). Unlike BuildKit, names that
    point at a secret instead of holding it (`*_FILE`, `*_PATH`, `*_DIR`, `*_URL`, `*_ID`), the public
    `GPG_KEY`s of the official images (`GPG_KEY`, `WORDPRESS_CLI_GPG_KEY`: fingerprints to verify downloads),
    and names whose value is plainly not a secret -- a version
    (`ENV DOCKER_AUTH_VERSION=1.5.0`), a file path (`ENV TLS_KEY=/run/secrets/tls.key`) or a switch
    (`ENV AUTH=false`) -- are not flagged. BuildKit's check looks at the name only and flags all of these.

    ## Why is this bad?
    `ARG` and `ENV` values are stored in the image: anyone who can pull it reads them with `docker history` or
    `docker inspect`, and build arguments end up in build logs and provenance. Pass secrets with a secret
    mount, which never reaches a layer.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ARG PIP_INDEX_TOKEN
    RUN pip install --no-cache-dir --index-url "https://ci:${PIP_INDEX_TOKEN}@pypi.example.com/simple" app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN --mount=type=secret,id=pip_token,env=PIP_INDEX_PASSWORD \\
        pip install --no-cache-dir --index-url "https://ci:${PIP_INDEX_PASSWORD}@pypi.example.com/simple" app
    ```

    ## References
    - hadolint DL3064, BuildKit SecretsUsedInArgOrEnv, Trivy DS-0031
    - https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
    - https://docs.docker.com/build/building/secrets/
    """

    code = "DG115"
    name = "secret-in-arg-or-env-name"
    triggers = frozenset({"ARG", "ENV"})
    severity = Severity.WARNING
    message = "ARG/ENV name looks like a secret"
    equivalents = ("DL3064", "SecretsUsedInArgOrEnv", "DS-0031")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.dockerfile.walk():
            if ins.keyword not in ("ARG", "ENV"):
                continue
            for kv in ins.pairs:
                key = unquote(kv.key)
                if secret_looking(key) and not plainly_not_secret(kv.value):
                    yield self.finding(
                        ins,
                        f"{ins.keyword} {key} looks like a secret and is stored in the image: "
                        "use RUN --mount=type=secret instead",
                    )
