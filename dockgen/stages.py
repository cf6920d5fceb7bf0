"""Stage semantics of a parsed Dockerfile: which stages a stage is built ``FROM``, what ships in the final
image, the ENV/ARG values and the SHELL in effect at an instruction, and the base images known before a build.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._record import field, record
from dockgen.ir import Dockerfile, FromInfo, IRInstruction, IRStage, expand, variable_references
from dockgen.shell.syntax import SHELLS

__all__ = [
    "PLATFORM_ARGS",
    "base_image",
    "env_before",
    "external_bases",
    "global_arg_defaults",
    "inherited_instructions",
    "lineage",
    "posix_shell",
    "ships",
    "stage_chain",
    "stage_shell",
]


def env_before(df: Dockerfile, ins: IRInstruction) -> dict[str, str]:
    """ENV and ARG values in effect just before ``ins`` in its stage (unquoted, no expansion).

    A stage built ``FROM`` another stage of the same file inherits that stage's ENV (not its ARGs, as in
    BuildKit). A valueless ``ARG NAME`` maps to its global default when there is one, else ''. ONBUILD
    triggers are ignored.
    """
    stage = df.stage_of(ins)
    position = df.position(ins)
    if stage is None or position is None:
        return {}
    if position < 0:  # the FROM itself: what the whole stage defines
        position = len(stage.instructions)
    cursors: dict[int, _EnvCursor] = df.memo.setdefault("env_before", {})
    cursor = cursors.get(stage.index)
    if cursor is None or cursor.position > position:
        cursor = cursors[stage.index] = _EnvCursor(dict(_inherited_env(df, stage)))
    globals_ = _global_arg_values(df)
    items = stage.instructions
    while cursor.position < position:
        _apply_env(items[cursor.position], cursor.env, cursor.args, globals_)
        cursor.position += 1
    merged = dict(cursor.args)
    merged.update(cursor.env)
    return merged


@record
class _EnvCursor:
    """ENV and ARG values after the first ``position`` instructions of a stage. Rules ask about a stage's
    instructions in order, so each query only applies the instructions since the previous one."""

    env: dict[str, str]
    args: dict[str, str] = field(default_factory=dict)
    position: int = 0


def _global_arg_values(df: Dockerfile) -> dict[str, str]:
    found: dict[str, str] | None = df.memo.get("global_arg_values")
    if found is None:
        found = {}
        for g in df.global_args:
            if g.keyword == "ARG":
                found.update(g.env_dict())
        df.memo["global_arg_values"] = found
    return found


def _apply_env(
    item: IRInstruction, env: dict[str, str], args: dict[str, str], globals_: dict[str, str]
) -> None:
    if item.keyword == "ENV":
        env.update(item.env_dict())
    elif item.keyword == "ARG":
        for kv in item.pairs:
            if kv.value is None:
                args[kv.key] = globals_.get(kv.key, "")
            else:
                args[kv.key] = kv.unquoted or ""


def _inherited_env(df: Dockerfile, stage: IRStage) -> dict[str, str]:
    """The ENV a stage starts with: everything its parent stage (``FROM <stage>``) ends with (not its ARGs)."""
    parent = df.stage_by_ref(stage.base)
    if parent is None or parent.index >= stage.index:
        return {}
    ends: dict[int, dict[str, str]] = df.memo.setdefault("stage_end_env", {})
    found = ends.get(parent.index)
    if found is None:
        found = dict(_inherited_env(df, parent))
        globals_ = _global_arg_values(df)
        for item in parent.instructions:
            _apply_env(item, found, {}, globals_)
        ends[parent.index] = found
    return found


def posix_shell(df: Dockerfile, ins: IRInstruction) -> bool:
    """False when the stage of ``ins`` switched to a non-POSIX shell with SHELL (PowerShell, cmd)."""
    if df.stage_of(ins) is None:
        return True
    shell = _shells_before(df).before[id(ins)]
    return (
        shell is None
        or shell[0].rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower().removesuffix(".exe") in SHELLS
    )


@record(frozen=True)
class _Shells:
    """The SHELL in effect before every instruction of every stage (None: the default; a stage's FROM gets its
    stage's last SHELL), and each stage's last SHELL. Computed once per file."""

    before: dict[int, tuple[str, ...] | None]
    last: list[tuple[str, ...] | None]


def _shells_before(df: Dockerfile) -> _Shells:
    found = df.memo.get("shells_before")
    if isinstance(found, _Shells):
        return found
    before: dict[int, tuple[str, ...] | None] = {}
    last: list[tuple[str, ...] | None] = []
    for stage in df.stages:
        current: tuple[str, ...] | None = None
        for item in stage.instructions:
            before[id(item)] = current
            if item.keyword == "SHELL" and item.args:
                current = item.args
        before[id(stage.from_)] = current
        last.append(current)
    shells = df.memo["shells_before"] = _Shells(before, last)
    return shells


def stage_chain(df: Dockerfile, stage: IRStage) -> list[IRStage]:
    """``stage`` and the stages of the same file it is built ``FROM``, nearest first."""
    chain = [stage]
    current = stage
    while True:
        parent = df.stage_by_ref(current.base)
        if parent is None or parent.index >= current.index:
            return chain
        chain.append(parent)
        current = parent


def inherited_instructions(df: Dockerfile, stage: IRStage) -> list[IRInstruction]:
    """Instructions of the parent stages of ``stage`` (oldest first), not the stage's own."""
    out: list[IRInstruction] = []
    for parent in reversed(stage_chain(df, stage)[1:]):
        out.extend(parent.instructions)
    return out


def lineage(df: Dockerfile, stage_index: int) -> frozenset[int]:
    """Indexes of ``stage_index`` and every stage it is built ``FROM`` (its layers ship with it)."""
    if not 0 <= stage_index < len(df.stages):
        return frozenset()
    known: dict[int, frozenset[int]] = df.memo.setdefault("lineage", {})
    found = known.get(stage_index)
    if found is None:
        found = known[stage_index] = frozenset(s.index for s in stage_chain(df, df.stages[stage_index]))
    return found


def ships(df: Dockerfile, ins: IRInstruction, final_index: int | None) -> bool:
    """True when the layer of ``ins`` ends up in the image built from stage ``final_index``.

    Instructions of builder stages (not in the final stage's ``FROM`` lineage) are thrown away, so cleanup
    rules need not bother there. ONBUILD triggers and instructions outside any stage count as shipping.
    """
    stage = df.stage_of(ins)
    if stage is None or final_index is None:
        return True
    return stage.index in lineage(df, final_index)


def stage_shell(df: Dockerfile, ins: IRInstruction) -> tuple[str, ...] | None:
    """The SHELL in effect for ``ins`` (following ``FROM <stage>`` parents), None for the default."""
    stage = df.stage_of(ins)
    if stage is None:
        return None
    shells = _shells_before(df)
    for s in stage_chain(df, stage):
        current = shells.before[id(ins)] if s is stage else shells.last[s.index]
        if current is not None:
            return current
    return None


#: ARGs BuildKit defines automatically in the global scope (values for a typical linux/amd64 build).
PLATFORM_ARGS: dict[str, str] = {
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
}


def global_arg_defaults(df: Dockerfile) -> dict[str, str | None]:
    """Global ARGs (before the first FROM) and their defaults (None when declared without one)."""
    out: dict[str, str | None] = {}
    for g in df.global_args:
        if g.keyword == "ARG":
            for kv in g.pairs:
                out[kv.key] = kv.unquoted
    return out


def base_image(df: Dockerfile, index: int) -> str | None:
    """The image a stage is built FROM, global ARG defaults expanded.

    None when the stage is built from an earlier stage of the file, from ``scratch``, or when a variable has
    no default (the real value is only known at build time).
    """
    stage = df.stages[index]
    raw = stage.base
    if raw.lower() == "scratch":
        return None
    earlier = df.stage_by_ref(raw)
    if earlier is not None and earlier.index < index:
        return None
    if "$" not in raw:
        return raw
    defaults = global_arg_defaults(df)
    env = {k: v for k, v in defaults.items() if v is not None}
    for name in variable_references(raw):
        if name not in env and name not in PLATFORM_ARGS:
            return None
    value = expand(raw, {**PLATFORM_ARGS, **env})
    if value.lower() == "scratch":
        return None
    earlier = df.stage_by_ref(value)
    if earlier is not None and earlier.index < index:
        return None
    return value or None


def external_bases(df: Dockerfile) -> Iterator[tuple[IRStage, FromInfo]]:
    """Each stage built FROM an image known before the build (see :func:`base_image`), with its parts."""
    for stage in df.stages:
        image = base_image(df, stage.index)
        if image is not None:
            yield stage, FromInfo(image=image, name=None, platform=None)
