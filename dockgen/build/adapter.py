"""Turn declared ``dockgen.models.Image`` objects into :class:`BuildSpec` values.

Reads the declarations defensively (``getattr`` with defaults) so the engine does not depend on every
field of the models; what the engine needs is exactly what :class:`BuildSpec` holds.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dockgen.build.spec import BuildSpec, SecretSpec
from dockgen.errors import DeclarationError


def _render(image: Any, source: str | None) -> str:
    render = importlib.import_module("dockgen.render")
    return str(render.render_image(image, source=source))


def _dockerignore(image: Any) -> str:
    """The declaration's .dockerignore (dockgen's defaults + the image's entries), as ``dockgen render``
    writes it; handed to BuildKit next to the Dockerfile so a stale or missing file on disk does not matter."""
    from dockgen.dockerignore import render_dockerignore

    return render_dockerignore(
        list(getattr(image, "dockerignore", None) or ()),
        defaults=bool(getattr(image, "dockerignore_defaults", True)),
    )


def _mapping(value: Any) -> dict[str, str]:
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return {}


def _strings(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def references_for(image: Any, version: str | None, env: str | None) -> tuple[str, ...]:
    """Full references for every registry the image goes to, using dockgen.tags for the tag set."""
    from dockgen.tags import compute_tags, image_reference

    policy = getattr(image, "tags", None)
    try:
        tags = compute_tags(version, env=env, policy=policy) if version or policy is not None else ["latest"]
    except TypeError:
        tags = compute_tags(version, env=env)
    tags = tags or ["latest"]
    registries = getattr(image, "registries", None) or [getattr(image, "registry", None)]
    namespace = getattr(image, "namespace", None)
    refs: list[str] = []
    for registry in registries:
        for tag in tags:
            refs.append(image_reference(registry, namespace, image.name, tag))
    return tuple(dict.fromkeys(refs))


def spec_from_image(
    image: Any,
    *,
    project_dir: Path,
    version: str | None = None,
    env: str | None = None,
    references: Sequence[str] | None = None,
    source: str | None = None,
) -> BuildSpec:
    name = getattr(image, "name", None)
    if not isinstance(name, str):
        raise DeclarationError(f"{image!r} is not an image declaration (no name)")
    context = Path(str(getattr(image, "context", None) or "."))
    if not context.is_absolute():
        context = project_dir / context
    version = version or getattr(image, "version", None)
    env = env or getattr(image, "env", None)
    secrets: list[SecretSpec] = []
    for s in getattr(image, "secrets", None) or ():
        src = getattr(s, "src", None)
        secrets.append(
            SecretSpec(str(s.id), src=Path(str(src)) if src else None, env=getattr(s, "env", None))
        )
    attest = getattr(image, "attestations", None)
    return BuildSpec(
        name=name,
        dockerfile=_render(image, source),
        context=context,
        references=tuple(references) if references is not None else references_for(image, version, env),
        platforms=_strings(getattr(image, "platforms", None)),
        build_args=_mapping(getattr(image, "build_args", None)),
        target=getattr(image, "target", None),
        labels=_mapping(getattr(image, "labels", None)),
        secrets=tuple(secrets),
        ssh=_strings(getattr(image, "ssh", None)),
        cache_from=_strings(getattr(image, "cache_from", None)),
        cache_to=_strings(getattr(image, "cache_to", None)),
        provenance=getattr(attest, "provenance", False) if attest is not None else False,
        sbom=bool(getattr(attest, "sbom", False)) if attest is not None else False,
        dockerignore=_dockerignore(image),
        depends_on=tuple(getattr(image, "depends_on", ()) or ()),
        description=getattr(image, "description", None),
        version=version,
    )


def specs_from_images(
    images: Iterable[Any],
    *,
    project_dir: Path,
    version: str | None = None,
    env: str | None = None,
    source: str | None = None,
) -> list[BuildSpec]:
    return [
        spec_from_image(i, project_dir=project_dir, version=version, env=env, source=source) for i in images
    ]
