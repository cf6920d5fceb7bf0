"""The build engine's own description of one image to build: :class:`BuildSpec`.

The engine never reads the pydantic declarations directly; :mod:`dockgen.builders.adapter` turns an
``Image`` into a ``BuildSpec``. That keeps the engine testable with plain data and lets the declarations
evolve without touching the builders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dockgen.errors import UsageError
from dockgen.reference import split_image, split_reference


@dataclass(frozen=True)
class SecretSpec:
    """A build secret: ``RUN --mount=type=secret,id=ID`` reads it; its value never enters a layer.

    Exactly one of ``src`` (a file on the build host) or ``env`` (an environment variable name) is set.
    """

    id: str
    src: Path | None = None
    env: str | None = None

    def __post_init__(self) -> None:
        if (self.src is None) == (self.env is None):
            raise UsageError(
                f"secret {self.id!r}: give exactly one of src= (a file) or env= (a variable name)",
                hint="e.g. SecretSpec('npmrc', src=Path('~/.npmrc')) or SecretSpec('token', env='GH_TOKEN')",
            )

    def buildx_arg(self) -> str:
        if self.src is not None:
            return f"id={self.id},src={self.src.expanduser()}"
        return f"id={self.id},env={self.env}"


@dataclass(frozen=True)
class BuildSpec:
    """Everything needed to build, label, tag and push one image."""

    name: str
    """Image name, unique in the project (used for ordering, logs and ``--image`` selection)."""
    dockerfile: str
    """The rendered Dockerfile text."""
    context: Path
    references: tuple[str, ...]
    """Full references to publish: ``registry/namespace/name:tag`` (may span several registries)."""
    platforms: tuple[str, ...] = ()
    build_args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[SecretSpec, ...] = ()
    ssh: tuple[str, ...] = ()
    cache_from: tuple[str, ...] = ()
    cache_to: tuple[str, ...] = ()
    provenance: bool | str = False
    sbom: bool | str = False
    depends_on: tuple[str, ...] = ()
    """Names of project images this one builds FROM (filled by the graph when left empty)."""
    base_images: tuple[str, ...] = ()
    """FROM references (external and project ones); parsed from the Dockerfile when left empty."""
    dockerignore: str | None = None
    """Text of the .dockerignore to apply; None = read ``context/.dockerignore`` if present."""
    description: str | None = None
    version: str | None = None
    dockerfile_path: Path | None = None
    """Where ``dockgen render`` writes this image's Dockerfile (a bake file references it when fresh)."""
    declared_at: Mapping[int, str] = field(default_factory=dict)
    """Dockerfile line -> ``build_images.py:LINE`` of the step it was rendered from (for build errors)."""

    def __post_init__(self) -> None:
        if not self.name:
            raise UsageError("an image to build has an empty name", hint="give every image a name")
        for ref in self.references:
            _, tag, digest = split_image(ref)
            if tag is None and digest is None:
                raise UsageError(
                    f"image {self.name!r}: reference {ref!r} has no tag",
                    hint="references are full: registry/namespace/name:tag",
                )

    @property
    def repositories(self) -> tuple[str, ...]:
        """The distinct repositories (``registry/ns/name``) the references point to, in order."""
        seen: dict[str, None] = {}
        for ref in self.references:
            seen.setdefault(split_reference(ref)[0], None)
        return tuple(seen)
