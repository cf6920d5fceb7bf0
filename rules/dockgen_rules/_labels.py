"""LABELs and the configured label schema (``required-labels``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

from dockgen._lazyre import lazy_compile
from dockgen._record import record
from dockgen._static import TYPE_CHECKING
from dockgen.ir import Dockerfile, IRInstruction, IRStage, KeyValue, unquote
from dockgen.lint.rule import LintContext
from dockgen.stages import stage_chain

if TYPE_CHECKING:
    from typing import Any

OPTION = "required-labels"


@record(frozen=True)
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


def final_labels(df: Dockerfile, stage: IRStage) -> dict[str, tuple[IRInstruction, KeyValue]]:
    """Labels set in ``stage`` and the stages it is built from (later ones win)."""
    out: dict[str, tuple[IRInstruction, KeyValue]] = {}
    for s in reversed(stage_chain(df, stage)):
        for ins in s.instructions:
            if ins.keyword == "LABEL":
                for kv in ins.pairs:
                    out[unquote(kv.key)] = (ins, kv)
    return out


def all_labels(df: Dockerfile) -> Iterator[tuple[IRInstruction, KeyValue]]:
    """Every label of the file (ONBUILD triggers included), keys unquoted."""
    for ins in df.walk():
        if ins.keyword == "LABEL":
            for kv in ins.pairs:
                yield ins, KeyValue(unquote(kv.key), kv.value)


_SEMVER = lazy_compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


_EMAIL = lazy_compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+$")


_RFC3339 = lazy_compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")


_HASH = lazy_compile(r"^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$")


_SPDX_TOKEN = lazy_compile(r"\(|\)|[A-Za-z0-9.+:-]+")


_SPDX_ID = lazy_compile(
    r"^(?:LicenseRef-|DocumentRef-[A-Za-z0-9.-]+:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\+?$"
)


def _rfc3339(value: str) -> bool:
    if not _RFC3339.match(value):
        return False
    from datetime import datetime  # only for a value shaped like a date

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
