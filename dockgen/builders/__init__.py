"""The build and publish engine: BuildKit (buildx) or Engine-API builders, the image graph, push, skip.

Public entry points: :func:`dockgen.builders.runner.run_build` and :class:`BuildSpec`.
"""

from __future__ import annotations

from dockgen.builders.spec import BuildSpec, SecretSpec

__all__ = ["BuildSpec", "SecretSpec"]
