"""DG116: a literal credential written into the Dockerfile."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, LintContext, Rule, Severity

#: (kind, pattern); group 1 (when present) is the secret part to mask.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])")),
    (
        "a GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"),
    ),
    ("a GitLab token", re.compile(r"(?<![A-Za-z0-9_])(glpat-[A-Za-z0-9_-]{20,})")),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9_])(xox[abprs]-[A-Za-z0-9-]{10,})")),
    ("a Google API key", re.compile(r"(?<![A-Za-z0-9_])(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])")),
    ("a Stripe live key", re.compile(r"(?<![A-Za-z0-9_])([rs]k_live_[0-9A-Za-z]{20,})")),
    ("an npm token", re.compile(r"(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])")),
    ("a PyPI token", re.compile(r"(?<![A-Za-z0-9_])(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})")),
    (
        "a password in a URL",
        re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/:@'\"$]+:([^\s/@'\"$][^\s/@'\"]*)@[A-Za-z0-9.-]"),
    ),
)


def mask(secret: str) -> str:
    """Enough of a secret to find it again, never enough to use it."""
    return secret[:4] + "…" if len(secret) > 8 else "…"


def _texts(ins: IRInstruction) -> Iterator[str]:
    yield from ins.args
    for kv in ins.pairs:
        if kv.value:
            yield kv.value
    for h in ins.heredocs:
        yield h.content
    for f in ins.flags:
        if f.value:
            yield f.value


def find_secret(text: str) -> tuple[str, str] | None:
    """(kind, masked form) of the first credential found in ``text``, else None."""
    for kind, pattern in _PATTERNS:
        m = pattern.search(text)
        if m is None:
            continue
        if kind == "a password in a URL":
            return kind, "://…:****@…"
        if m.groups():
            return kind, mask(m.group(1))
        return kind, "-----BEGIN … PRIVATE KEY-----"
    return None


class LiteralSecret(Rule):
    """
    ## What it does
    Flags credentials written literally into the Dockerfile — in `ENV`/`ARG`/`LABEL` values, `RUN` commands,
    here-documents and other arguments: private key blocks, AWS access key ids, GitHub/GitLab/Slack/npm/PyPI
    tokens, Google API keys, Stripe live keys and passwords inside URLs (`https://user:pw@host`). The message
    names the kind of credential and never prints it.

    ## Why is this bad?
    The Dockerfile is in version control and the value ends up in the image's layers or history: everyone with
    access to either has the credential. Revoke it, then pass it at build time with a secret mount.

    ## Example
    ```dockerfile
    FROM amazon/aws-cli:2.15.0
    ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    ```

    ## Use instead
    ```dockerfile
    FROM amazon/aws-cli:2.15.0
    RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 cp s3://bucket/model.bin /opt/
    ```

    ## References
    - https://docs.docker.com/build/building/secrets/
    """

    code = "DG116"
    name = "literal-secret"
    severity = Severity.ERROR
    message = "a credential is written in the Dockerfile"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.dockerfile.walk():
            for text in _texts(ins):
                found = find_secret(text)
                if found is not None:
                    kind, masked = found
                    yield self.finding(
                        ins,
                        f"{ins.keyword} contains {kind} ({masked}): revoke it and pass it with a secret mount",
                    )
                    break
