"""``Image`` and ``Stage``: what a ``build_images.py`` declares.

::

    builder = Stage("builder", base="debian:bookworm", steps=[Apt(["golang-go"]), Run("go build -o /out/app")])
    app = Image(
        name="app",
        stages=[builder, Stage(base="busybox:1.36", steps=[Copy("/out/app", "/app", from_=builder)], user="10001")],
    )
    dockgen.main([app])

A stage's ``base`` is an image reference (``"debian:bookworm"``), an earlier :class:`Stage` of the same image, or
another project :class:`Image` (``depends_on`` is derived from those; at build time the base is replaced by
the exact image just built).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator

from dockgen.errors import DockgenError
from dockgen.models import _buildkit as bk
from dockgen.models._base import Model, validation_messages
from dockgen.models.checks import Check
from dockgen.models.instructions import (
    Add,
    Arg,
    Cmd,
    Comment,
    Copy,
    Entrypoint,
    Env,
    Expose,
    Healthcheck,
    Label,
    Maintainer,
    OnBuild,
    Run,
    Shell,
    StopSignal,
    User,
    Volume,
    Workdir,
)
from dockgen.models.packages import Apk, Apt, Dnf, Npm, Pip, Yum
from dockgen.reference import repository_name, validate_registry, validate_repository
from dockgen.tags import TagPolicy

__all__ = ["Image", "Stage", "Step"]

Step = Annotated[
    Comment
    | Run
    | Copy
    | Add
    | Env
    | Arg
    | Label
    | Workdir
    | User
    | Expose
    | Volume
    | Cmd
    | Entrypoint
    | Healthcheck
    | Shell
    | StopSignal
    | OnBuild
    | Maintainer
    | Apt
    | Apk
    | Pip
    | Npm
    | Dnf
    | Yum,
    Field(discriminator="kind"),
]
"""Anything a stage's ``steps`` list may hold: an instruction or a package-manager helper."""

_STAGE_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_RESERVED_STAGE_NAMES = frozenset({"scratch", "context"})


class Stage(Model):
    """One build stage: ``FROM base [AS name]``, then ``workdir``, the ``steps``, then ``user``.

    ``workdir`` is written right after ``FROM`` (so every step runs there); ``user`` is written after the
    steps (so the steps run as the base image's user, usually root, and the container runs as ``user``).
    """

    name: str | None = None
    """Stage name (lowercase), needed to refer to the stage from ``COPY --from`` or another stage."""
    base: str | Image | Stage
    """``"debian:bookworm"``, an earlier Stage of this image, or another project Image."""
    platform: str | None = None
    """``FROM --platform=...`` (e.g. ``"$BUILDPLATFORM"`` for a cross-compiling builder stage)."""
    workdir: str | None = None
    user: str | None = None
    steps: list[Step] = []

    _positional: ClassVar[tuple[str, ...]] = ("name",)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not _STAGE_NAME_RE.fullmatch(value):
            raise ValueError(
                f"stage name {value!r} must be letters, digits, '_', '.', '-' and start with a letter (lowercase "
                "is conventional)"
            )
        if value.lower() in _RESERVED_STAGE_NAMES:
            raise ValueError(f"stage name {value!r} is reserved by BuildKit; choose another")
        return value

    @field_validator("base")
    @classmethod
    def _base(cls, value: str | Image | Stage) -> str | Image | Stage:
        if isinstance(value, str) and (not value or any(c.isspace() for c in value)):
            raise ValueError(f"base image {value!r} must be a non-empty reference without whitespace")
        if isinstance(value, Stage) and value.name is None:
            raise ValueError("a Stage used as a base needs a name; give it name=...")
        return value

    @field_validator("workdir", "user", "platform")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or "\n" in value):
            raise ValueError(f"{value!r} must be a non-empty single line")
        return value

    @field_validator("user")
    @classmethod
    def _user(cls, value: str | None) -> str | None:
        return None if value is None else bk.check_user(value)

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str | None) -> str | None:
        return None if value is None else bk.check_platform(value)

    @property
    def base_ref(self) -> str:
        """The base as written in ``FROM`` (project images as their default reference)."""
        if isinstance(self.base, str):
            return self.base
        if isinstance(self.base, Stage):
            assert self.base.name is not None
            return self.base.name
        return self.base.reference()


class BuildSecret(Model):
    """A build secret: ``id`` read from a file (``src``) or an environment variable (``env``)."""

    id: str
    """The id ``RUN --mount=type=secret,id=...`` names."""
    src: str | None = None
    """File holding the secret (relative to the build file's directory, or absolute)."""
    env: str | None = None
    """Environment variable holding the secret."""

    _positional: ClassVar[tuple[str, ...]] = ("id",)

    @model_validator(mode="after")
    def _one_source(self) -> BuildSecret:
        if (self.src is None) == (self.env is None):
            raise ValueError("give exactly one of src= (a file) or env= (an environment variable)")
        return self


class Attestations(Model):
    """Supply-chain attestations BuildKit attaches to the pushed image index."""

    provenance: bool | Literal["min", "max"] = False
    """SLSA provenance: ``"max"`` (full build details), ``"min"``, True (BuildKit's default) or False."""
    sbom: bool | str = False
    """SPDX SBOM: True uses the configured generator (``--sbom-generator`` / ``sbom-generator`` in
    ``[tool.dockgen.build]``), else BuildKit's default; a string names the generator image for this image
    (an offline or mirrored scanner)."""

    @field_validator("sbom")
    @classmethod
    def _generator(cls, value: bool | str) -> bool | str:
        if isinstance(value, bool):
            return value
        from dockgen.reference import check_sbom_generator

        return check_sbom_generator(value)


class Image(Model):
    """A container image: its name and where it is pushed, its stages, and how it is built."""

    name: str
    """Repository name (lowercase; ``web``), unique in the project; also what ``--image`` selects."""
    registry: str | None = None
    """Registry host (``registry.example.com``, ``localhost:5000``); None: Docker Hub / local only."""
    namespace: str | None = Field(default=None, validation_alias=AliasChoices("namespace", "team"))
    """Path between registry and name (``frontend`` in ``registry.example.com/frontend/web``); alias ``team``."""
    version: str | None = None
    """The version to tag (``1.4.2``); None: read from git / the project by the tagging step."""
    env: str | None = None
    """Deployment environment (``prod``, ``staging``): tags get a ``-<env>`` suffix (see ``tags``)."""
    stages: list[Stage] = Field(min_length=1)
    """Build stages in order; the last one is the image unless ``target`` names another."""
    platforms: list[str] = []
    """Platforms to build (``["linux/amd64", "linux/arm64"]``); empty: the builder's own."""
    build_args: dict[str, str] = {}
    """Values passed as ``--build-arg`` at build time."""
    args: dict[str, str | None] = {}
    """Global ``ARG`` declarations written before the first ``FROM`` (``{"BASE_IMAGE": "debian:bookworm"}``)."""
    labels: dict[str, str] = {}
    """``LABEL``s written at the end of the final stage."""
    target: str | None = None
    """Stage to build (``--target``); None: the last stage."""
    context: str = "."
    """Build context directory, relative to the build file."""
    dockerignore: list[str] = []
    """Extra ``.dockerignore`` patterns, written after dockgen's defaults (so ``!keep`` exceptions win)."""
    dockerignore_defaults: bool = True
    """Start the ``.dockerignore`` from dockgen's defaults (VCS, caches, virtualenvs, secrets, ...)."""
    dockerfile: str | None = None
    """Where ``dockgen render`` writes the Dockerfile, relative to the build file; default ``<context>/Dockerfile``."""
    tags: TagPolicy = TagPolicy()
    """Which tags the image gets (see docs/tags.md)."""
    syntax: str | None = None
    """``# syntax=`` directive (e.g. ``"docker/dockerfile:1"``)."""
    directives: dict[str, str] = {}
    """Other parser directives (``{"escape": "`"}``, ``{"check": "skip=JSONArgsRecommended"}``)."""
    registries: list[str] = []
    """Publish to every one of these registries, with the same digest everywhere (``["123.dkr.ecr...",
    "ghcr.io"]``); empty: just ``registry``. When both are given, ``registry`` must be one of them: it is the
    one other project images name in their ``FROM``."""
    description: str | None = None
    """Written as the ``org.opencontainers.image.description`` label."""
    secrets: list[BuildSecret] = []
    """Build secrets passed to BuildKit (``RUN --mount=type=secret,id=...`` reads them); never in a layer."""
    ssh: list[str] = []
    """SSH agent sockets or keys forwarded to the build (``["default"]``), for ``RUN --mount=type=ssh``."""
    cache_from: list[str] = []
    """BuildKit ``--cache-from`` entries (``type=registry,ref=registry.example.com/team/web:buildcache``)."""
    cache_to: list[str] = []
    """BuildKit ``--cache-to`` entries (``type=registry,ref=...,mode=max``); written when pushing."""
    attestations: Attestations = Attestations()
    """Provenance and SBOM attestations attached to the pushed image (BuildKit only)."""
    checks: list[Check] = []
    """Checks the built image must pass (``dockgen test``; a gate before ``build --push`` adds any tag)."""

    _positional: ClassVar[tuple[str, ...]] = ("name",)

    @field_validator("registries")
    @classmethod
    def _registries(cls, value: list[str]) -> list[str]:
        return [_tag_check(validate_registry, v) for v in value]

    @model_validator(mode="after")
    def _primary_registry(self) -> Image:
        if self.registries and self.registry is not None and self.registry not in self.registries:
            raise ValueError(
                f"registry {self.registry!r} is not among registries {self.registries}; add it, or drop registry="
            )
        if self.registries and self.registry is None:
            object.__setattr__(self, "registry", self.registries[0])
        return self

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if "/" in value:
            raise ValueError(f"image name {value!r} must be one path component; put the rest in namespace=")
        return _tag_check(validate_repository, value)

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str | None) -> str | None:
        return None if value is None else _tag_check(validate_repository, value)

    @field_validator("registry")
    @classmethod
    def _registry(cls, value: str | None) -> str | None:
        return None if value is None else _tag_check(validate_registry, value)

    @field_validator("context", "dockerfile")
    @classmethod
    def _relative(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not value.strip() or "\n" in value:
            raise ValueError("must be a non-empty path")
        return value

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[str]) -> list[str]:
        for platform in value:
            if bk.has_variable(platform):
                raise ValueError(
                    f"platform {platform!r}: build platforms are given to the builder as they are"
                )
            bk.check_platform(platform)
        return value

    @field_validator("directives")
    @classmethod
    def _directives(cls, value: dict[str, str]) -> dict[str, str]:
        for key, val in value.items():
            if key not in ("syntax", "escape", "check"):
                raise ValueError(f"unknown parser directive {key!r}; BuildKit knows syntax, escape and check")
            if key == "escape" and val not in ("\\", "`"):
                raise ValueError("the escape directive must be '\\\\' or '`'")
        if "syntax" in value:
            raise ValueError("give the syntax directive as syntax=... instead")
        return value

    @field_validator("dockerignore")
    @classmethod
    def _ignore_lines(cls, value: list[str]) -> list[str]:
        for line in value:
            if "\n" in line:
                raise ValueError(f"{line!r}: one pattern per entry")
        return value

    @model_validator(mode="after")
    def _stages(self) -> Image:
        seen: dict[str, int] = {}
        for i, stage in enumerate(self.stages):
            if stage.name is not None:
                if stage.name in seen:
                    raise ValueError(
                        f"stages[{i}]: duplicate stage name {stage.name!r} (also stages[{seen[stage.name]}])"
                    )
                seen[stage.name] = i
            if isinstance(stage.base, Stage):
                earlier = [s for s in self.stages[:i] if s.name == stage.base.name]
                if not earlier or earlier[-1] != stage.base:
                    raise ValueError(
                        f"stages[{i}].base: stage {stage.base.name!r} is not an earlier stage of this image"
                    )
            if isinstance(stage.base, Image) and stage.base.name == self.name:
                raise ValueError(f"stages[{i}].base: image {self.name!r} cannot be built from itself")
        if self.target is not None and self.target not in seen:
            raise ValueError(
                f"target {self.target!r} is not a stage name of this image (stages: {sorted(seen)})"
            )
        return self

    # ---- derived ----------------------------------------------------------------------------------
    @property
    def repository(self) -> str:
        """``registry/namespace/name`` (the parts that are set)."""
        return repository_name(self.registry, self.namespace, self.name)

    def reference(self, tag: str | None = None) -> str:
        """``repository:tag``; the tag defaults to the version (``+`` mapped to ``-``), else ``latest``."""
        chosen = tag or (self.version.lstrip("v").replace("+", "-") if self.version else "latest")
        return f"{self.repository}:{chosen}"

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Names of the project images this one is built FROM (in stage order, without repeats)."""
        out: list[str] = []
        for stage in self.stages:
            if isinstance(stage.base, Image) and stage.base.name not in out:
                out.append(stage.base.name)
        return tuple(out)

    @property
    def dockerfile_path(self) -> str:
        """Where the Dockerfile is written, relative to the build file (POSIX separators)."""
        return posixpath.normpath(self.dockerfile or posixpath.join(self.context, "Dockerfile"))

    @property
    def dockerignore_path(self) -> str:
        """``<context>/.dockerignore``, relative to the build file."""
        return posixpath.normpath(posixpath.join(self.context, ".dockerignore"))

    @property
    def final_stage(self) -> Stage:
        if self.target is not None:
            for stage in self.stages:
                if stage.name == self.target:
                    return stage
        return self.stages[-1]


def _tag_check(check: Any, value: str) -> str:
    try:
        check(value)
    except DockgenError as exc:
        raise ValueError(exc.message + (f" ({exc.hint})" if exc.hint else "")) from None
    return value


Stage.model_rebuild()
Image.model_rebuild()


def validate_images(raw: Any, *, source: str | None = None) -> list[Image]:
    """Validate what a build file declares and check the images against each other.

    Accepts ``Image`` instances and plain dicts (JSON/YAML-like data). Raises
    :class:`~dockgen.errors.DeclarationError` listing every problem as ``source: images[i].field.path: reason``.
    Cross-image checks: unique names, project images used as bases are declared (and are the declared ones),
    no dependency cycles, no two images writing the same Dockerfile, one ``.dockerignore`` per context.
    """
    from dockgen.errors import DeclarationError

    where = f"{source}: " if source else ""
    if isinstance(raw, Image | Mapping):
        raw = [raw]
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise DeclarationError(
            f"{where}images: expected a list of dockgen.Image, got {type(raw).__name__}",
            hint="call dockgen.main([Image(...), ...])",
        )
    images: list[Image] = []
    errors: list[str] = []
    for i, item in enumerate(raw):
        if isinstance(item, Image):
            images.append(item)
        elif isinstance(item, Mapping):
            try:
                images.append(Image.model_validate(item))
            except ValidationError as exc:
                errors.extend(validation_messages(exc, f"images[{i}]", Image))
        else:
            errors.append(f"images[{i}]: expected a dockgen.Image, got {type(item).__name__} ({item!r:.60})")
    if not errors:
        errors = _cross_checks(images)
    if not errors:
        errors = [
            f"images[{i}].{where_}: holds a byte that is not UTF-8 ({text!r:.60}); Dockerfiles are written as "
            "UTF-8, so write the text itself (e.g. 'é', not a surrogate escape)"
            for i, image in enumerate(images)
            for where_, text in _surrogates(image.model_dump(), "")
        ][:1]
    if not raw:
        errors.append("images: the list is empty; declare at least one Image")
    if errors:
        if len(errors) == 1:
            message = where + errors[0]
        else:
            message = f"{where}{len(errors)} problems in the image declarations:\n" + "\n".join(
                f"  {e}" for e in errors
            )
        raise DeclarationError(message, hint="see docs/declarations.md")
    return images


def _surrogates(value: Any, path: str) -> list[tuple[str, str]]:
    """``(field path, text)`` of every string holding a lone surrogate (an undecodable byte, kept by
    ``surrogateescape``): it cannot be written into a UTF-8 Dockerfile."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [(path, value)]
        return []
    found: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            found += _surrogates(k, path) + _surrogates(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list | tuple):
        for n, v in enumerate(value):
            found += _surrogates(v, f"{path}[{n}]")
    return found


def _cross_checks(images: list[Image]) -> list[str]:
    errors: list[str] = []
    by_name: dict[str, int] = {}
    for i, image in enumerate(images):
        if image.name in by_name:
            errors.append(
                f"images[{i}].name: duplicate image name {image.name!r} (also images[{by_name[image.name]}])"
            )
        else:
            by_name[image.name] = i
    for i, image in enumerate(images):
        for j, stage in enumerate(image.stages):
            if not isinstance(stage.base, Image):
                continue
            k = by_name.get(stage.base.name)
            if k is None:
                errors.append(
                    f"images[{i}].stages[{j}].base: image {stage.base.name!r} is not declared in this project; "
                    "add it to the images list"
                )
            elif images[k] != stage.base:
                errors.append(
                    f"images[{i}].stages[{j}].base: image {stage.base.name!r} differs from the declared "
                    f"images[{k}]; use the same Image object"
                )
    # cycles (possible only through equal names)
    graph = {image.name: image.depends_on for image in images}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*trail[trail.index(name) :], name]
            errors.append(f"images: dependency cycle {' -> '.join(cycle)}")
            return
        state[name] = 1
        for dep in graph.get(name, ()):
            visit(dep, [*trail, name])
        state[name] = 2

    for name in graph:
        visit(name, [])
    outputs: dict[str, int] = {}
    contexts: dict[str, int] = {}
    for i, image in enumerate(images):
        path = image.dockerfile_path
        if path in outputs:
            errors.append(
                f"images[{i}].dockerfile: {path!r} is also written for images[{outputs[path]}]; give one of them "
                f"dockerfile={posixpath.join(posixpath.dirname(path), image.name + '.Dockerfile')!r}"
            )
        outputs[path] = i
        ctx = posixpath.normpath(image.context)
        if ctx in contexts:
            other = images[contexts[ctx]]
            if (other.dockerignore, other.dockerignore_defaults) != (
                image.dockerignore,
                image.dockerignore_defaults,
            ):
                errors.append(
                    f"images[{i}].dockerignore: images[{contexts[ctx]}] shares the context {ctx!r} but declares "
                    "different .dockerignore entries; a context has one .dockerignore, so make them equal"
                )
        else:
            contexts[ctx] = i
    return errors
