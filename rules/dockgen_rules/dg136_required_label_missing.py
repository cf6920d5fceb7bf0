"""DG136: a label the configured schema requires is missing from the final image."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from dockgen.ir import Dockerfile, Instruction, KeyValue, Stage, unquote
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import stage_chain

OPTION = "required-labels"


@dataclass(frozen=True)
class LabelSpec:
    type: str = "text"
    required: bool = True


def label_schema(ctx: LintContext) -> dict[str, LabelSpec]:
    """The ``required-labels`` option: label -> spec (a bare string is the type; ``required`` defaults to true)."""
    raw = ctx.option(OPTION) or {}
    out: dict[str, LabelSpec] = {}
    if not isinstance(raw, Mapping):
        return out
    for label, spec in raw.items():
        if isinstance(spec, str):
            out[str(label)] = LabelSpec(spec)
        elif isinstance(spec, Mapping):
            out[str(label)] = LabelSpec(str(spec.get("type", "text")), bool(spec.get("required", True)))
    return out


def final_labels(df: Dockerfile, stage: Stage) -> dict[str, tuple[Instruction, KeyValue]]:
    """Labels set in ``stage`` and the stages it is built from (later ones win)."""
    out: dict[str, tuple[Instruction, KeyValue]] = {}
    for s in reversed(stage_chain(df, stage)):
        for ins in s.instructions:
            if ins.keyword == "LABEL":
                for kv in ins.pairs:
                    out[unquote(kv.key)] = (ins, kv)
    return out


def all_labels(df: Dockerfile) -> Iterator[tuple[Instruction, KeyValue]]:
    """Every label of the file (ONBUILD triggers included), keys unquoted."""
    for ins in df.walk():
        if ins.keyword == "LABEL":
            for kv in ins.pairs:
                yield ins, KeyValue(unquote(kv.key), kv.value)


# ---- value checks --------------------------------------------------------------------------------------

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")
_HASH = re.compile(r"^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$")
_SPDX_TOKEN = re.compile(r"\(|\)|[A-Za-z0-9.+:-]+")
_SPDX_ID = re.compile(
    r"^(?:LicenseRef-|DocumentRef-[A-Za-z0-9.-]+:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\+?$"
)


def _rfc3339(value: str) -> bool:
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00").replace("t", "T"))
    except ValueError:
        return False
    return True


def _url(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc) and " " not in value


def _spdx(value: str) -> bool:
    """A syntactically valid SPDX license expression (ids not checked against the license list)."""
    tokens = _SPDX_TOKEN.findall(value)
    if "".join(tokens) != value.replace(" ", "") or not tokens:
        return False
    depth = 0
    expect_id = True
    for tok in tokens:
        if tok == "(":
            if not expect_id:
                return False
            depth += 1
        elif tok == ")":
            if expect_id or depth == 0:
                return False
            depth -= 1
        elif tok in ("AND", "OR", "WITH"):
            if expect_id:
                return False
            expect_id = True
        else:
            if not expect_id or not _SPDX_ID.match(tok):
                return False
            expect_id = False
    return depth == 0 and not expect_id


_CHECKS: dict[str, Any] = {
    "semver": lambda v: bool(_SEMVER.match(v)),
    "url": _url,
    "email": lambda v: bool(_EMAIL.match(v)),
    "rfc3339": _rfc3339,
    "hash": lambda v: bool(_HASH.match(v)),
    "spdx": _spdx,
    "text": lambda v: True,
}
#: The hadolint code of each type's check.
TYPE_CODES: dict[str, str] = {
    "url": "DL3052",
    "rfc3339": "DL3053",
    "spdx": "DL3054",
    "hash": "DL3055",
    "semver": "DL3056",
    "email": "DL3058",
}


def valid_value(kind: str, value: str) -> bool:
    check = _CHECKS.get(kind)
    return True if check is None else bool(check(value))


class RequiredLabelMissing(Rule):
    """
    ## What it does
    With a label schema configured (`required-labels`), flags each required label that no `LABEL` of the
    final stage (or of a stage of the same file it is built from) sets. Without the option it does nothing.

    ## Why is this bad?
    Teams rely on labels to trace an image back to its source, version and owner (`org.opencontainers.image.*`).
    An image without them cannot be attributed or audited.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.title=api
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.title=api
    LABEL org.opencontainers.image.source=https://git.example.com/team/api
    ```

    ## Options
    - `required-labels` (table): label -> `{ type = "semver" | "url" | "email" | "rfc3339" | "hash" | "spdx" |
      "text", required = true }`. The documentation examples use
      `{ "org.opencontainers.image.source" = { type = "url", required = true } }`.

    ## References
    - hadolint DL3049
    - https://github.com/opencontainers/image-spec/blob/main/annotations.md
    """

    code = "DG136"
    name = "required-label-missing"
    severity = Severity.WARNING
    message = "a required label is missing"
    equivalents = ("DL3049",)
    options_used = (OPTION,)
    #: Options used when the documentation examples are run as tests.
    example_options: ClassVar[dict[str, Any]] = {
        OPTION: {"org.opencontainers.image.source": {"type": "url", "required": True}}
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        schema = label_schema(ctx)
        stage = ctx.final_stage
        if not schema or stage is None:
            return
        present = final_labels(ctx.dockerfile, stage)
        for label, spec in schema.items():
            if spec.required and label not in present:
                yield self.finding(stage.from_, f"required label '{label}' ({spec.type}) is not set")
