"""DG135: a label key that breaks the label naming conventions."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction, unquote
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity

_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")
_VALID = lazy_compile(r"^[a-z](?:[a-z0-9.-]*[a-z0-9])?$")


def label_key_problem(key: str) -> str | None:
    """Why ``key`` is not a valid label key, or None when it is."""
    for ns in _RESERVED:
        if key.startswith(ns):
            return f"the {ns[:-1]} namespace is reserved for Docker"
    if not _VALID.match(key):
        return "use lower-case letters, digits, '.' and '-', starting with a letter and ending with a letter or digit"
    if ".." in key or "--" in key:
        return "no consecutive '.' or '-'"
    return None


class InvalidLabelKey(InstructionRule):
    """
    ## What it does
    Flags `LABEL` keys that break Docker's label key conventions: keys must be lower-case letters, digits,
    dots and dashes, start with a letter, end with a letter or digit, have no `..` or `--`, and stay out of
    the reserved `com.docker.*`, `io.docker.*` and `org.dockerproject.*` namespaces. Keys built from
    variables are not checked. Unlike hadolint's DL3048, `_` is not accepted (`registry_image`): Docker's
    conventions allow only lower-case alphanumerics, `.` and `-`.

    ## Why is this bad?
    Tools that query labels (`docker ps --filter label=...`, registries, scanners) expect conventional keys;
    reverse-DNS keys such as `org.opencontainers.image.source` avoid clashes with labels of other tools.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    LABEL Build_Date=2024-05-01
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.created=2024-05-01
    ```

    ## References
    - hadolint DL3048
    - https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations
    """

    code = "DG135"
    name = "invalid-label-key"
    severity = Severity.STYLE
    message = "invalid label key"
    equivalents = ("DL3048",)
    keywords = frozenset({"LABEL"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        for kv in ins.pairs:
            key = unquote(kv.key)
            if "$" in kv.key:
                continue
            problem = label_key_problem(key)
            if problem is not None:
                yield self.finding(ins, f"label key '{key}': {problem}")
