"""What ``dockgen build``, ``push``, ``plan`` and ``test`` are asked to do, as typed, frozen values.

The command line is read once, in :mod:`dockgen.commands._build_support` (``read_build_request``,
``read_plan_request``, ``read_test_request``); everything below works on these requests and the validated
:class:`dockgen.models.Image` declarations, never on ``argparse.Namespace``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

from dockgen.commands._ci import CIOptions

if TYPE_CHECKING:
    from dockgen.models import Image

__all__ = [
    "AfterPublish",
    "BuildFlags",
    "BuildRequest",
    "Declared",
    "ImageExtras",
    "Output",
    "PlanRequest",
    "TestRequest",
]

Output = Literal["auto", "quiet", "json"]


@dataclass(frozen=True)
class Declared:
    """The validated images of a build file."""

    images: tuple[Image, ...]
    build_file: Path

    @property
    def project_dir(self) -> Path:
        return self.build_file.resolve().parent

    @property
    def source(self) -> str:
        """The build file's name, as generated files and labels cite it."""
        return self.build_file.name

    def names(self) -> set[str]:
        return {i.name for i in self.images}


@dataclass(frozen=True)
class BuildFlags:
    """The options every command of the family shares (``--image``, ``--platform``, cache, output, CI...)."""

    selected: tuple[str, ...] = ()
    """``--image``: only these images (and what they build FROM); empty: all."""
    version: str | None = None
    """``--version``, else ``$DOCKGEN_VERSION``; None: from git / the declaration."""
    env: str | None = None
    platforms: tuple[str, ...] = ()
    backend: str = "auto"
    builder: str | None = None
    """``--builder`` as given (the project's configured builder is looked up when the run options are made)."""
    cache: str | None = None
    cache_from: tuple[str, ...] = ()
    cache_to: tuple[str, ...] = ()
    sbom_generator: str | None = None
    """``--sbom-generator``, already checked; None: the configured one."""
    ssh: tuple[str, ...] = ()
    jobs: int = 2
    keep_going: bool = False
    no_skip: bool = False
    output: Output = "auto"
    ci: CIOptions = field(default_factory=CIOptions)
    atomic: bool = False
    force_moving_tags: bool = False

    @property
    def json(self) -> bool:
        return self.output == "json"


@dataclass(frozen=True)
class AfterPublish:
    """``--scan``, ``--sign`` and the declared image checks: what runs on the pushed digests."""

    scan: bool = False
    scan_severity: str = "HIGH"
    """Already normalised (``check_severity``)."""
    scan_ignore_unfixed: bool = False
    sign_key: str | None = None
    """The cosign key when signing (``--sign``; ``--sign-key`` or ``$COSIGN_KEY``), else None."""
    run_checks: bool = True
    """False with ``--no-test``."""
    junit: str | None = None


@dataclass(frozen=True)
class BuildRequest:
    """``dockgen build [--push]`` and ``dockgen push [--no-build]``."""

    declared: Declared
    flags: BuildFlags
    push: bool = False
    push_only: bool = False
    after: AfterPublish = field(default_factory=AfterPublish)


@dataclass(frozen=True)
class PlanRequest:
    """``dockgen plan``."""

    declared: Declared
    flags: BuildFlags
    push: bool = False
    offline: bool = False
    bake_file: str | None = None
    """Where to write a bake file; ``-``: stdout."""


@dataclass(frozen=True)
class TestRequest:
    """``dockgen test``."""

    __test__ = False  # not a pytest test class

    declared: Declared
    flags: BuildFlags
    references: Mapping[str, str] = field(default_factory=dict)
    """``--reference NAME=IMAGE``: test IMAGE instead of the local build of NAME."""
    build: bool = False
    pull: bool = False
    junit: str | None = None


class ImageExtras(TypedDict, total=False):
    """What the scan and signing add to an image's entry of the ``--json`` summary."""

    scan: dict[str, object]
    signed: list[str]
