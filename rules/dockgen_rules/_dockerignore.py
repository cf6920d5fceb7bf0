"""The ignore file BuildKit applies to a Dockerfile's build context."""

from __future__ import annotations

from pathlib import Path

from dockgen._static import TYPE_CHECKING
from dockgen.errors import DockgenError
from dockgen.lint.rule import LintContext

if TYPE_CHECKING:
    from dockgen.dockerignore import Matcher


def ignore_file(ctx: LintContext) -> Path | None:
    """The ignore file BuildKit would use: ``<Dockerfile>.dockerignore`` next to the Dockerfile, else
    ``<context>/.dockerignore``. None when there is no context directory or no ignore file."""
    if ctx.context_dir is None:
        return None
    path = ctx.dockerfile.path
    if path and "#" not in path:
        own = Path(path).with_name(Path(path).name + ".dockerignore")
        if not own.is_absolute():
            own = Path.cwd() / own
        if own.is_file():
            return own
    default = ctx.context_dir / ".dockerignore"
    return default if default.is_file() else None


def read_matcher(path: Path) -> Matcher | None:
    """The matcher of an ignore file, or None when it cannot be read or has an invalid pattern."""
    from dockgen.dockerignore import Matcher  # only when there is an ignore file to read

    try:
        return Matcher.from_text(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, DockgenError):
        return None
