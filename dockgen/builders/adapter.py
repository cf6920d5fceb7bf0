"""Turn declared ``dockgen.models.Image`` objects into :class:`BuildSpec` values.

Reads the validated declaration models (:class:`dockgen.models.Image`) directly; what the engine needs is
exactly what :class:`BuildSpec` holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dockgen import clock
from dockgen._version_source import VersionInfo, build_number_from_env, detect_version, read_git_state
from dockgen.builders.spec import BuildSpec, SecretSpec
from dockgen.models.image import Image
from dockgen.reference import repository_name
from dockgen.tags import GitState, explain_tags
from dockgen.versions import try_parse_version

if TYPE_CHECKING:
    from dockgen.ci_env import CIEnv
    from dockgen.ci_tags import CITagPolicy


def _render(image: Image, source: str | None) -> str:
    from dockgen.compile import render_image

    return render_image(image, source=source)


def _declared_at(image: Image, source: str | None) -> dict[int, str]:
    from dockgen.compile import declaration_lines

    try:
        return declaration_lines(image, source=source)
    except Exception:  # only an aid for error messages: never let it stop a build
        return {}


def _dockerignore(image: Image) -> str:
    """The declaration's .dockerignore (dockgen's defaults + the image's entries), as ``dockgen render``
    writes it; handed to BuildKit next to the Dockerfile so a stale or missing file on disk does not matter."""
    from dockgen.dockerignore import render_dockerignore

    return render_dockerignore(list(image.dockerignore), defaults=image.dockerignore_defaults)


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
    ci: CIEnv | None = None
    """The CI environment when CI-aware tags are on (``--ci``); ``ci_policy`` its policy."""
    ci_policy: CITagPolicy | None = None
    _detected: dict[int, VersionInfo | None] = field(default_factory=dict)

    def detect(self, sha_length: int) -> VersionInfo | None:
        if self.project_dir is None:
            return None
        if sha_length not in self._detected:
            ci_tag = self.ci.tag if self.ci is not None and self.ci.event == "tag" else None
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


def image_repositories(image: Image) -> tuple[str, ...]:
    """``registry/namespace/name`` for every registry the image goes to."""
    registries: list[str | None] = [*image.registries] or [image.registry]
    return tuple(dict.fromkeys(repository_name(r, image.namespace, image.name) for r in registries))


def resolve_version(image: Image, version: str | None, tags: TagContext | None) -> VersionInfo | None:
    """``--version``, else the Image's ``version``, else git tag / project file (see _version_source)."""
    if version:
        return VersionInfo(version, "--version")
    if image.version:
        return VersionInfo(image.version, "the image declaration")
    if tags is None:
        return None
    return tags.detect(image.tags.sha_length)


def references_for(
    image: Image, version: str | None, env: str | None, tags: TagContext | None = None
) -> tuple[str, ...]:
    """Full references for every registry the image goes to, computed exactly as ``dockgen tags`` does.

    ``version`` is the resolved version (see :func:`resolve_version`). Without any tag (no version, no
    git) the image gets ``latest``.
    """
    tags = tags or TagContext()
    policy = image.tags
    env = env or image.env
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

            suffix = f"-{env}" if env and policy.env_suffix else ""
            decisions = apply_ci(decisions, tags.ci, tags.ci_policy, now=tags.now, env_suffix=suffix)
        computed = [d.tag for d in decisions if d.given and d.tag is not None]
        refs += [f"{repo}:{t}" for t in computed or ["latest"]]
    return tuple(dict.fromkeys(refs))


def spec_from_image(
    image: Image,
    *,
    project_dir: Path,
    version: str | None = None,
    env: str | None = None,
    references: Sequence[str] | None = None,
    source: str | None = None,
    tags: TagContext | None = None,
) -> BuildSpec:
    context = Path(image.context or ".")
    if not context.is_absolute():
        context = project_dir / context
    info = resolve_version(image, version, tags)
    version = info.version if info else None
    env = env or image.env
    secrets: list[SecretSpec] = []
    for s in image.secrets:
        path = None
        if s.src:  # relative to the build file's directory, never to the current directory
            path = Path(s.src).expanduser()
            if not path.is_absolute():
                path = project_dir / path
        secrets.append(SecretSpec(s.id, src=path, env=s.env))
    return BuildSpec(
        name=image.name,
        dockerfile=_render(image, source),
        context=context,
        references=tuple(references) if references is not None else references_for(image, version, env, tags),
        platforms=tuple(image.platforms),
        build_args=dict(image.build_args),
        target=image.target,
        labels=dict(image.labels),
        secrets=tuple(secrets),
        ssh=tuple(image.ssh),
        cache_from=tuple(image.cache_from),
        cache_to=tuple(image.cache_to),
        provenance=image.attestations.provenance,
        sbom=image.attestations.sbom,
        dockerignore=_dockerignore(image),
        declared_at=_declared_at(image, source),
        depends_on=image.depends_on,
        description=image.description,
        version=version,
        dockerfile_path=project_dir / image.dockerfile_path,
    )


def specs_from_images(
    images: Iterable[Image],
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
