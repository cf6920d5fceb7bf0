"""DG114: the final USER is a name rather than a numeric UID (opt-in)."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen_rules._users import is_root, last_user, user_part


class UserNotNumeric(Rule):
    """
    ## What it does
    Opt-in. Flags a final image whose last `USER` is a user name instead of a numeric UID (root is left to
    DG112).

    hadolint's DL3066 flags every `USER` with a name (root included); dockgen looks only at the `USER` the
    image runs as, and leaves root to DG112.

    ## Why is this bad?
    The runtime cannot tell whether a name maps to root without reading the image's `/etc/passwd`, so
    policies such as Kubernetes `runAsNonRoot` reject the pod. A numeric UID (`USER 10001`, `USER 10001:10001`)
    is verifiable and does not depend on the passwd file.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --uid 10001 app
    USER app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --uid 10001 app
    USER 10001
    ```

    ## References
    - hadolint DL3066
    - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    """

    code = "DG114"
    name = "user-not-numeric"
    triggers = frozenset({"USER"})
    severity = Severity.INFO
    enabled_by_default = False
    message = "USER is a name, not a numeric UID"
    equivalents = ("DL3066",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        stage = ctx.final_stage
        if stage is None:
            return
        user = last_user(ctx.dockerfile, stage)
        if user is None or is_root(user):
            return
        name = user_part(user)
        if name.isdigit() or "$" in name:
            return
        yield self.finding(
            user, f"USER '{name}' is a name: use its numeric UID so the runtime can verify it is not root"
        )
