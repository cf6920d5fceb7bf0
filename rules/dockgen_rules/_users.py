"""USER instructions: who the image runs as."""

from __future__ import annotations

from dockgen.ir import Dockerfile, IRInstruction, IRStage
from dockgen.stages import stage_chain


def last_user(df: Dockerfile, stage: IRStage) -> IRInstruction | None:
    """The USER in effect at the end of ``stage`` (searching the stages it is built from), or None."""
    for s in stage_chain(df, stage):
        for ins in reversed(s.instructions):
            if ins.keyword == "USER" and ins.args:
                return ins
    return None


def user_part(ins: IRInstruction) -> str:
    """``app`` of ``USER app:staff``."""
    return ins.args[0].split(":", 1)[0].strip() if ins.args else ""


def is_root(ins: IRInstruction) -> bool:
    return user_part(ins) in ("root", "0")
