"""Turn declared ``dockgen.models.Image`` objects into :class:`BuildSpec` values.

Reads the declarations defensively (``getattr`` with defaults) so the engine does not depend on every
field of the models; what the engine needs is exactly what :class:`BuildSpec` holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dockgen import clock
from dockgen._version_source import VersionInfo, build_number_from_env, detect_version, read_git_state
from dockgen.builders.spec import BuildSpec, SecretSpec
from dockgen.errors import DeclarationError
from dockgen.reference import repository_name
from dockgen.tags import GitState, TagPolicy, explain_tags
from dockgen.versions import try_parse_version


def _render(image: Any, source: str | None) -> str:
    from dockgen.compile import render_image

    return render_image(image, source=source)


def _declared_at(image: Any, source: str | None) -> dict[int, str]:
    from dockgen.compile import declaration_lines

    try:
        return declaration_lines(image, source=source)
    except Exception:  # only an aid for error messages: never let it stop a build
        return {}


def _dockerignore(image: Any) -> str:
    """The declaration's .dockerignore (dockgen's defaults + the image's entries), as ``dockgen render``
    writes it; handed to BuildKit next to the Dockerfile so a stale or missing file on disk does not matter."""
    from dockgen.dockerignore import render_dockerignore

    return render_dockerignore(
        list(getattr(image, "dockerignore", None) or ()),
        defaults=bool(getattr(image, "dockerignore_defaults", True)),
    )


def _dockerfile_path(image: Any, project_dir: Path) -> Path | None:
    rel = getattr(image, "dockerfile_path", None)
    return project_dir / str(rel) if isinstance(rel, str) else None


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


@dataclass
class TagContext:
    """What the tag computation needs besides the declaration: the same inputs ``dockgen tags`` uses.

    ``git`` is the state of the repository holding the build file; ``detect`` finds the version (git tag,
    then ``pyproject.toml`` / ``package.json``) when neither ``--version`` nor the Image gives one;
    ``existing`` lists the tags a repository already has (so ``latest``/``1.2``/``1`` only move forward).
    """

    git: GitState | None = None
    build_number: str | None = None
    now: datetime | None = None
    project_dir: Path | None = None
    existing: Mapping[str, Sequence[str]] = field(default_factory=dict)
    ci: Any = None
    """A :class:`dockgen.ci_env.CIEnv` when CI-aware tags are on (``--ci``); ``ci_policy`` its policy."""
    ci_policy: Any = None
    _detected: dict[int, VersionInfo | None] = field(default_factory=dict)

    def detect(self, sha_length: int) -> VersionInfo | None:
        if self.project_dir is None:
            return None
        if sha_length not in self._detected:
            ci_tag = getattr(self.ci, "tag", None) if getattr(self.ci, "event", None) == "tag" else None
            if ci_tag and try_parse_version(ci_tag) is not None:  # a shallow CI clone may lack the tag
                self._detected[sha_length] = VersionInfo(ci_tag, f"the CI's git tag {ci_tag}")
            else:
                self._detected[sha_length] = detect_version(self.project_dir, sha_length=sha_length)
        return self._detected[sha_length]


def tag_context(project_dir: Path) -> TagContext:
    """Git state, CI build number and time for a build file in ``project_dir`` (no registry access)."""
    return TagContext(
        git=read_git_state(project_dir),
        build_number=build_number_from_env(),
        now=clock.now(),
        project_dir=project_dir,
    )


def _policy(image: Any) -> TagPolicy | None:
    policy = getattr(image, "tags", None)
    return policy if isinstance(policy, TagPolicy) else None


def image_repositories(image: Any) -> tuple[str, ...]:
    """``registry/namespace/name`` for every registry the image goes to."""
    registries = getattr(image, "registries", None) or [getattr(image, "registry", None)]
    namespace = getattr(image, "namespace", None)
    return tuple(dict.fromkeys(repository_name(r, namespace, image.name) for r in registries))


def resolve_version(image: Any, version: str | None, tags: TagContext | None) -> VersionInfo | None:
    """``--version``, else the Image's ``version``, else git tag / project file (see _version_source)."""
    if version:
        return VersionInfo(version, "--version")
    declared = getattr(image, "version", None)
    if isinstance(declared, str) and declared:
        return VersionInfo(declared, "the image declaration")
    if tags is None:
        return None
    policy = _policy(image) or TagPolicy()
    return tags.detect(policy.sha_length)


def references_for(
    image: Any, version: str | None, env: str | None, tags: TagContext | None = None
) -> tuple[str, ...]:
    """Full references for every registry the image goes to, computed exactly as ``dockgen tags`` does.

    ``version`` is the resolved version (see :func:`resolve_version`). Without any tag (no version, no
    git) the image gets ``latest``.
    """
    tags = tags or TagContext()
    policy = _policy(image)
    env = env or getattr(image, "env", None)
    refs: list[str] = []
    for repo in image_repositories(image):
        decisions = explain_tags(
            version,
            env=env,
            existing=tags.existing.get(repo, ()),
            git=tags.git,
            policy=policy,
            now=tags.now,
            build_number=tags.build_number,
        )
        if tags.ci is not None:
            from dockgen.ci_tags import apply_ci

            suffix = f"-{env}" if env and (policy or TagPolicy()).env_suffix else ""
            decisions = apply_ci(decisions, tags.ci, tags.ci_policy, now=tags.now, env_suffix=suffix)
        computed = [d.tag for d in decisions if d.given and d.tag is not None]
        refs += [f"{repo}:{t}" for t in computed or ["latest"]]
    return tuple(dict.fromkeys(refs))


def spec_from_image(
    image: Any,
    *,
    project_dir: Path,
    version: str | None = None,
    env: str | None = None,
    references: Sequence[str] | None = None,
    source: str | None = None,
    tags: TagContext | None = None,
) -> BuildSpec:
    name = getattr(image, "name", None)
    if not isinstance(name, str):
        raise DeclarationError(f"{image!r} is not an image declaration (no name)")
    context = Path(str(getattr(image, "context", None) or "."))
    if not context.is_absolute():
        context = project_dir / context
    info = resolve_version(image, version, tags)
    version = info.version if info else None
    env = env or getattr(image, "env", None)
    secrets: list[SecretSpec] = []
    for s in getattr(image, "secrets", None) or ():
        src = getattr(s, "src", None)
        path = None
        if src:  # relative to the build file's directory, never to the current directory
            path = Path(str(src)).expanduser()
            if not path.is_absolute():
                path = project_dir / path
        secrets.append(SecretSpec(str(s.id), src=path, env=getattr(s, "env", None)))
    attest = getattr(image, "attestations", None)
    return BuildSpec(
        name=name,
        dockerfile=_render(image, source),
        context=context,
        references=tuple(references) if references is not None else references_for(image, version, env, tags),
        platforms=_strings(getattr(image, "platforms", None)),
        build_args=_mapping(getattr(image, "build_args", None)),
        target=getattr(image, "target", None),
        labels=_mapping(getattr(image, "labels", None)),
        secrets=tuple(secrets),
        ssh=_strings(getattr(image, "ssh", None)),
        cache_from=_strings(getattr(image, "cache_from", None)),
        cache_to=_strings(getattr(image, "cache_to", None)),
        provenance=getattr(attest, "provenance", False) if attest is not None else False,
        sbom=getattr(attest, "sbom", False) if attest is not None else False,
        dockerignore=_dockerignore(image),
        declared_at=_declared_at(image, source),
        depends_on=tuple(getattr(image, "depends_on", ()) or ()),
        description=getattr(image, "description", None),
        version=version,
        dockerfile_path=_dockerfile_path(image, project_dir),
    )


def specs_from_images(
    images: Iterable[Any],
    *,
    project_dir: Path,
    version: str | None = None,
    env: str | None = None,
    source: str | None = None,
    tags: TagContext | None = None,
) -> list[BuildSpec]:
    return [
        spec_from_image(i, project_dir=project_dir, version=version, env=env, source=source, tags=tags)
        for i in images
    ]
