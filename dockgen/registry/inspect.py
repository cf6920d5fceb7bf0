"""Read an image's story from the registry: tags, platforms, layers, config, attestations and referrers.

Only registry reads: no engine, no pulls of layers (config blobs and attestation manifests are small).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from dockgen.reference import Reference
from dockgen.registry import errors as E
from dockgen.registry import mediatypes as mt
from dockgen.registry.client import RegistryClient
from dockgen.registry.models import Descriptor, Manifest

__all__ = ["AttestationInfo", "ImageInfo", "LayerInfo", "PlatformImage", "ReferrerInfo", "inspect_image"]

MAX_CONFIG_BYTES = 4 * 1024 * 1024


@dataclass
class LayerInfo:
    digest: str
    size: int
    media_type: str


@dataclass
class PlatformImage:
    """One image manifest: a platform child of an index, or the image itself."""

    platform: str | None
    digest: str
    media_type: str
    size: int
    """Sum of the (compressed) layer sizes."""
    layers: list[LayerInfo] = field(default_factory=list)
    config_digest: str | None = None
    created: str | None = None
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class AttestationInfo:
    """A BuildKit attestation manifest in an index (``vnd.docker.reference.type: attestation-manifest``)."""

    digest: str
    subject: str | None
    """The image digest it attests (``vnd.docker.reference.digest``)."""
    subject_platform: str | None
    predicate_types: list[str] = field(default_factory=list)


@dataclass
class ReferrerInfo:
    digest: str
    subject: str
    media_type: str
    artifact_type: str | None
    source: str | None
    """``api`` (referrers API), ``tag-schema`` (``sha256-<hex>`` index) or ``cosign`` (``.sig``/``.att``/``.sbom``)."""


@dataclass
class ImageInfo:
    reference: str
    digest: str
    media_type: str
    tags: list[str]
    platforms: list[PlatformImage] = field(default_factory=list)
    attestations: list[AttestationInfo] = field(default_factory=list)
    referrers: list[ReferrerInfo] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _config(
    client: RegistryClient, repo: str, manifest: Manifest
) -> tuple[str | None, dict[str, str], str | None]:
    cfg = manifest.config
    if cfg is None or cfg.media_type not in (mt.OCI_CONFIG, mt.DOCKER_CONFIG):
        return None, {}, None
    try:
        data = json.loads(client.get_blob(repo, cfg.digest, max_bytes=MAX_CONFIG_BYTES))
    except (E.NotFoundError, ValueError):
        return None, {}, None
    if not isinstance(data, dict):
        return None, {}, None
    inner = data.get("config") if isinstance(data.get("config"), dict) else {}
    labels = inner.get("Labels") if isinstance(inner, dict) else None
    platform = "/".join(str(data[k]) for k in ("os", "architecture", "variant") if data.get(k))
    created = data.get("created")
    return (
        str(created) if created else None,
        {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        platform or None,
    )


def _platform_image(
    client: RegistryClient, repo: str, manifest: Manifest, platform: str | None
) -> PlatformImage:
    created, labels, cfg_platform = _config(client, repo, manifest)
    layers = [LayerInfo(d.digest, d.size, d.media_type) for d in manifest.layers]
    return PlatformImage(
        platform=platform or cfg_platform,
        digest=manifest.digest,
        media_type=manifest.media_type,
        size=sum(layer.size for layer in layers),
        layers=layers,
        config_digest=manifest.config.digest if manifest.config else None,
        created=created,
        labels=labels,
    )


def _attestation(
    client: RegistryClient, repo: str, d: Descriptor, platforms: dict[str, str]
) -> AttestationInfo:
    subject = d.annotations.get(mt.REFERENCE_DIGEST_ANNOTATION)
    predicates: list[str] = []
    try:
        m = client.get_manifest(repo, d.digest)
        predicates = sorted(
            {p for layer in m.layers if (p := layer.annotations.get("in-toto.io/predicate-type"))}
        )
    except E.NotFoundError:
        pass
    return AttestationInfo(d.digest, subject, platforms.get(subject or ""), predicates)


def inspect_image(client: RegistryClient, ref: Reference, *, with_referrers: bool = True) -> ImageInfo:
    """Everything ``dockgen inspect`` shows, read from the registry."""
    repo = ref.repository
    try:
        top = client.get_manifest(repo, ref.reference)
    except E.ManifestNotFoundError:
        existing = client.list_tags(repo)  # raises RepositoryNotFoundError for an unknown repository
        raise E.ManifestNotFoundError(client.registry, repo, ref.reference, existing_tags=existing) from None
    try:
        tags = client.list_tags(repo)
    except E.RegistryError:
        tags = []
    info = ImageInfo(
        reference=str(ref),
        digest=top.digest,
        media_type=top.media_type,
        tags=sorted(tags),
        annotations=top.annotations,
    )
    subjects = [top.digest]
    if top.is_index:
        children = top.manifests
        platforms = {d.digest: str(d.platform) for d in children if d.platform is not None}
        for d in children:
            if d.is_attestation:
                info.attestations.append(_attestation(client, repo, d, platforms))
                continue
            try:
                child = client.get_manifest(repo, d.digest)
            except E.NotFoundError:
                info.platforms.append(
                    PlatformImage(str(d.platform) if d.platform else None, d.digest, d.media_type, 0)
                )
                continue
            if child.is_index:
                continue  # nested indexes are rare; shown by inspecting the child digest
            info.platforms.append(
                _platform_image(client, repo, child, str(d.platform) if d.platform else None)
            )
            subjects.append(d.digest)
    else:
        info.platforms.append(_platform_image(client, repo, top, None))
    if with_referrers:
        for subject in subjects:
            for r in client.referrers(repo, subject, tags=tags):
                info.referrers.append(
                    ReferrerInfo(r.digest, subject, r.media_type, r.artifact_type, r.source)
                )
    return info


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"  # pragma: no cover


def render_text(info: ImageInfo, *, max_tags: int = 30) -> str:
    short = {p.digest: p.platform or "?" for p in info.platforms}
    lines = [
        info.reference,
        f"  digest:      {info.digest}",
        f"  media type:  {info.media_type}",
    ]
    shown = info.tags[:max_tags]
    more = f" (+{len(info.tags) - len(shown)} more; --json lists all)" if len(info.tags) > len(shown) else ""
    lines.append(f"  tags ({len(info.tags)}): {', '.join(shown) if shown else '-'}{more}")
    lines.append(f"  platforms ({len(info.platforms)}):")
    for p in info.platforms:
        lines.append(
            f"    {p.platform or '?':<16} {p.digest}  {len(p.layers)} layers, {human_size(p.size)}"
            + (f", created {p.created}" if p.created else "")
        )
        for k, v in sorted(p.labels.items()):
            lines.append(f"      label {k}={v}")
        for layer in p.layers:
            lines.append(f"      layer {layer.digest}  {human_size(layer.size)}")
    if info.attestations:
        lines.append(f"  attestations ({len(info.attestations)}):")
        for a in info.attestations:
            what = ", ".join(a.predicate_types) or "attestation"
            target = a.subject_platform or a.subject or "?"
            lines.append(f"    {a.digest}  for {target}: {what}")
    lines.append(f"  referrers ({len(info.referrers)}):" if info.referrers else "  referrers: none")
    for r in info.referrers:
        target = short.get(r.subject, "index" if r.subject == info.digest else r.subject)
        lines.append(f"    {r.digest}  {r.artifact_type or r.media_type} -> {target} (via {r.source})")
    return "\n".join(lines)
