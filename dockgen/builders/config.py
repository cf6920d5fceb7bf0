"""Build defaults from the project configuration: ``[build]`` in ``dockgen.toml`` / ``.dockgen.toml``, or
``[tool.dockgen.build]`` in ``pyproject.toml`` (the nearest one, walking up to the git root).

::

    [tool.dockgen.build]
    builder = "buildkit-remote"  # the buildx builder (any driver: docker, docker-container, remote, kubernetes)
    cache = "registry"        # read (and, when pushing, write) <registry>/<ns>/<name>:buildcache
    cache-tag = "buildcache"  # the tag of that cache image
    sbom-generator = "registry.example.com/mirror/buildkit-syft-scanner:stable-1"
                              # the SBOM generator for images declaring Attestations(sbom=True)

Command-line flags win over these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dockgen.builders.spec import BuildSpec
from dockgen.config_file import dockgen_table, find_with_section
from dockgen.errors import ConfigError, UsageError
from dockgen.reference import check_sbom_generator, validate_tag

CACHE_MODES = ("registry", "none")
KEYS = ("builder", "cache", "cache-tag", "sbom-generator")


@dataclass(frozen=True)
class BuildConfig:
    cache: str = "none"
    """``registry``: every image reads ``<repo>:<cache_tag>`` as a BuildKit cache and writes it (mode=max)
    when pushing; ``none``: no registry cache unless ``--cache-from``/``--cache-to`` are given."""
    cache_tag: str = "buildcache"
    sbom_generator: str | None = None
    """Generator image for ``Attestations(sbom=True)`` (default: BuildKit's own, from Docker Hub)."""
    builder: str | None = None
    """The buildx builder to build with when ``--builder`` is not given (default: the current one)."""
    file: Path | None = None


def _table(path: Path) -> tuple[Mapping[str, Any] | None, str]:
    settings, text = dockgen_table(path)
    table = settings.get("build") if settings is not None else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(
            "build must be a table", file=str(path), hint="write [build] (or [tool.dockgen.build])"
        )
    return table, text


def _line(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return i
    return None


def find_build_config(start: Path) -> Path | None:
    """The nearest config file with a build table, from ``start`` up to the git root (or ``/``)."""
    return find_with_section(start, "build")


def load_build_config(start: Path) -> BuildConfig:
    path = find_build_config(start)
    if path is None:
        return BuildConfig()
    table, text = _table(path)
    assert table is not None
    where = "[tool.dockgen.build]" if path.name == "pyproject.toml" else "[build]"
    for key in table:
        if str(key).replace("_", "-") not in KEYS:
            raise ConfigError(
                f"{where}: unknown key {key!r}",
                file=str(path),
                line=_line(text, str(key)),
                hint=f"keys: {', '.join(KEYS)}",
            )
    cache = table.get("cache", "none")
    if cache not in CACHE_MODES:
        raise ConfigError(
            f"{where} cache = {cache!r}: expected one of {', '.join(CACHE_MODES)}",
            file=str(path),
            line=_line(text, "cache"),
            hint='cache = "registry" keeps the BuildKit cache in <repository>:buildcache',
        )
    tag = table.get("cache-tag", table.get("cache_tag", "buildcache"))
    if not isinstance(tag, str):
        raise ConfigError(
            f"{where} cache-tag must be a string", file=str(path), line=_line(text, "cache-tag")
        )
    try:
        validate_tag(tag)
    except Exception as exc:
        raise ConfigError(
            f"{where} cache-tag: {exc}", file=str(path), line=_line(text, "cache-tag")
        ) from None
    generator = table.get("sbom-generator", table.get("sbom_generator"))
    if generator is not None:
        try:
            generator = check_sbom_generator(generator)
        except ValueError as exc:
            raise ConfigError(
                f"{where} sbom-generator: {exc}", file=str(path), line=_line(text, "sbom-generator")
            ) from None
    builder = table.get("builder")
    if builder is not None and (
        not isinstance(builder, str) or not re.fullmatch(r"[A-Za-z0-9][\w.-]*", builder)
    ):
        raise ConfigError(
            f"{where} builder = {builder!r}: expected the name of a buildx builder",
            file=str(path),
            line=_line(text, "builder"),
            hint='list builders with `docker buildx ls`, e.g. builder = "buildkit-remote"',
        )
    return BuildConfig(cache=str(cache), cache_tag=tag, sbom_generator=generator, builder=builder, file=path)


def apply_sbom_generator(specs: Sequence[BuildSpec], generator: str | None) -> list[BuildSpec]:
    """Images declaring ``sbom=True`` use ``generator`` (an image naming its own generator keeps it)."""
    if generator is None:
        return list(specs)
    return [replace(s, sbom=generator) if s.sbom is True else s for s in specs]


def _expand(value: str, spec: BuildSpec, option: str) -> str:
    try:
        return value.format(repo=spec.repositories[0] if spec.repositories else spec.name, name=spec.name)
    except (KeyError, IndexError, ValueError) as exc:
        raise UsageError(
            f"{option} {value!r}: unknown placeholder {exc}", hint="placeholders: {repo} and {name}"
        ) from None


def apply_cache(
    specs: Sequence[BuildSpec],
    *,
    mode: str,
    cache_tag: str = "buildcache",
    cache_from: Sequence[str] = (),
    cache_to: Sequence[str] = (),
    push: bool,
) -> list[BuildSpec]:
    """Add registry cache settings to every spec.

    ``mode="registry"`` derives ``type=registry,ref=<first repository>:<cache_tag>`` per image: always read,
    written (``mode=max``) only when pushing. ``cache_from``/``cache_to`` are raw buildx values added to
    every image; ``{repo}`` and ``{name}`` in them are replaced per image.
    """
    if mode not in CACHE_MODES:
        raise UsageError(f"--cache {mode!r}: expected one of {', '.join(CACHE_MODES)}")
    out: list[BuildSpec] = []
    for spec in specs:
        froms = [_expand(v, spec, "--cache-from") for v in cache_from]
        tos = [_expand(v, spec, "--cache-to") for v in cache_to]
        if mode == "registry" and spec.repositories:
            ref = f"type=registry,ref={spec.repositories[0]}:{cache_tag}"
            froms.append(ref)
            if push:
                tos.append(ref + ",mode=max")
        if froms or tos:
            spec = replace(
                spec,
                cache_from=tuple(dict.fromkeys((*spec.cache_from, *froms))),
                cache_to=tuple(dict.fromkeys((*spec.cache_to, *tos))),
            )
        out.append(spec)
    return out
