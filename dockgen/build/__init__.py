"""The build and publish engine: BuildKit (buildx) or Engine-API builders, the image graph, push, skip.

Public entry points: :func:`dockgen.build.runner.run_build` and :class:`BuildSpec`.
"""

from __future__ import annotations

from dockgen.build.spec import BuildSpec, SecretSpec

__all__ = ["BuildSpec", "SecretSpec"]
