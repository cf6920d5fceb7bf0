"""What every builder backend receives and returns, and how build failures are reported."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dockgen.builders.progress import Reporter
from dockgen.builders.spec import BuildSpec
from dockgen.errors import BuildError

LOG_TAIL = 20


@dataclass(frozen=True)
class BuildJob:
    """One concrete build: the spec plus what the engine decided for this run."""

    spec: BuildSpec
    labels: Mapping[str, str]
    """Final labels (declared + OCI + content hash)."""
    build_contexts: Mapping[str, str] = field(default_factory=dict)
    """FROM reference -> ``repo@sha256:...`` of a project image built (or found) earlier in this run."""
    push_names: tuple[str, ...] = ()
    """References to push the result under (``repo:content-<hash>`` per repository); empty = no push."""
    local_tags: tuple[str, ...] = ()
    """References to give the image in the local image store."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    source_date_epoch: int | None = None


@dataclass
class BuildResult:
    digest: str | None
    """Digest of what was built (the index for multi-platform builds, else the manifest)."""
    config_digest: str | None = None
    image_id: str | None = None
    size: int | None = None
    pushed: bool = False
    local_source: str | None = None
    """Where a dependent built without push finds this image when the builder cannot see the engine's image
    store: a build-context source such as ``oci-layout:///tmp/...@sha256:...``."""


class Backend(Protocol):
    name: str

    def check(self, spec: BuildSpec) -> None:
        """Raise :class:`BuildError` before building when this backend cannot build ``spec``."""

    def build(self, job: BuildJob, reporter: Reporter) -> BuildResult: ...


class LogTail:
    """The last lines of a build log and the step that failed."""

    _STEP = re.compile(r"^#(?P<n>\d+) (?P<what>\[[^\]]+\] .+)$")
    _ERR = re.compile(r"^#(?P<n>\d+) ERROR: ")

    def __init__(self, size: int = 200) -> None:
        self.lines: deque[str] = deque(maxlen=size)
        self.steps: dict[str, str] = {}
        self.failed_step: str | None = None
        self.error_lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)
        m = self._STEP.match(line)
        if m:
            self.steps.setdefault(m.group("n"), m.group("what"))
        e = self._ERR.match(line)
        if e and self.failed_step is None:
            self.failed_step = self.steps.get(e.group("n"))
        if line.startswith("ERROR:") or line.startswith("error:"):
            self.error_lines.append(line)
        if self.failed_step is None and line.startswith(" > [") and line.endswith(":"):
            self.failed_step = line[3:-1]

    def tail(self, n: int = LOG_TAIL) -> list[str]:
        return list(self.lines)[-n:]


_DOCKERFILE_LINE = re.compile(r"Dockerfile:(\d+)\s*$")


def build_failure(
    image: str,
    tail: LogTail,
    *,
    what: str = "build",
    hint: str | None = None,
    declared_at: Mapping[int, str] | None = None,
) -> BuildError:
    step = f" at step {tail.failed_step}" if tail.failed_step else ""
    lines_at = [int(m.group(1)) for line in tail.lines if (m := _DOCKERFILE_LINE.search(line))]
    if lines_at:
        where = (declared_at or {}).get(lines_at[-1])
        step += f" (Dockerfile line {lines_at[-1]}" + (f", declared at {where})" if where else ")")
    reason = tail.error_lines[-1] if tail.error_lines else ""
    lines = "\n".join(f"    {line}" for line in tail.tail())
    message = f"image {image!r}: {what} failed{step}"
    if reason:
        message += f"\n  {reason}"
    message += f"\n  last {min(LOG_TAIL, len(tail.lines))} lines of the log:\n{lines}"
    return BuildError(message, hint=hint)


def dockerfile_dir(tmp: Path, spec: BuildSpec) -> Path:
    """Write the rendered Dockerfile (and its own .dockerignore, when given) under ``tmp``; return the file."""
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "Dockerfile"
    path.write_text(spec.dockerfile, encoding="utf-8")
    if spec.dockerignore is not None:
        # BuildKit reads <Dockerfile>.dockerignore next to the Dockerfile before context/.dockerignore
        (tmp / "Dockerfile.dockerignore").write_text(spec.dockerignore, encoding="utf-8")
    return path
