"""Value types of the registry API: descriptors, platforms, manifests, capabilities."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dockgen.registry import mediatypes as mt

__all__ = ["Capabilities", "Descriptor", "Manifest", "Platform", "sha256_digest"]


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Platform:
    os: str
    architecture: str
    variant: str | None = None
    os_version: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Platform:
        return cls(
            os=str(data.get("os", "")),
            architecture=str(data.get("architecture", "")),
            variant=str(data["variant"]) if data.get("variant") else None,
            os_version=str(data["os.version"]) if data.get("os.version") else None,
        )

    def to_json(self) -> dict[str, str]:
        out = {"architecture": self.architecture, "os": self.os}
        if self.variant:
            out["variant"] = self.variant
        if self.os_version:
            out["os.version"] = self.os_version
        return out

    def __str__(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)


@dataclass(frozen=True)
class Descriptor:
    """An OCI content descriptor. ``source`` says how a referrer was found (``api``, ``tag-schema``, ``cosign``)."""

    media_type: str
    digest: str
    size: int
    annotations: Mapping[str, str] = field(default_factory=dict)
    platform: Platform | None = None
    artifact_type: str | None = None
    urls: tuple[str, ...] = ()
    source: str | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, source: str | None = None) -> Descriptor:
        plat = data.get("platform")
        ann = data.get("annotations")
        return cls(
            media_type=str(data.get("mediaType", "")),
            digest=str(data.get("digest", "")),
            size=int(data.get("size", 0) or 0),
            annotations={str(k): str(v) for k, v in ann.items()} if isinstance(ann, dict) else {},
            platform=Platform.from_json(plat) if isinstance(plat, dict) else None,
            artifact_type=str(data["artifactType"]) if data.get("artifactType") else None,
            urls=tuple(str(u) for u in data.get("urls") or ()),
            source=source,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"mediaType": self.media_type, "digest": self.digest, "size": self.size}
        if self.artifact_type:
            out["artifactType"] = self.artifact_type
        if self.platform is not None:
            out["platform"] = self.platform.to_json()
        if self.annotations:
            out["annotations"] = dict(self.annotations)
        if self.urls:
            out["urls"] = list(self.urls)
        return out

    @property
    def is_attestation(self) -> bool:
        """A BuildKit attestation manifest inside an index (``vnd.docker.reference.type: attestation-manifest``)."""
        return self.annotations.get(mt.REFERENCE_TYPE_ANNOTATION) == mt.ATTESTATION_MANIFEST

    @property
    def is_unknown_platform(self) -> bool:
        return self.platform is not None and self.platform.os == "unknown"


@dataclass(frozen=True)
class Manifest:
    """A manifest as the registry stored it: its media type, digest, exact bytes and parsed JSON."""

    media_type: str
    digest: str
    raw: bytes = field(repr=False)
    data: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_bytes(cls, raw: bytes, media_type: str | None = None, digest: str | None = None) -> Manifest:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("manifest is not a JSON object")
        kind = media_type or str(data.get("mediaType") or "")
        if not kind:  # OCI manifests may omit mediaType: guess from the shape
            kind = mt.OCI_INDEX if "manifests" in data else mt.OCI_MANIFEST
        return cls(media_type=kind, digest=digest or sha256_digest(raw), raw=raw, data=data)

    @property
    def size(self) -> int:
        return len(self.raw)

    @property
    def json(self) -> Mapping[str, Any]:
        """The parsed manifest (same as ``data``)."""
        return self.data

    @property
    def is_index(self) -> bool:
        return mt.is_index(self.media_type)

    @property
    def descriptor(self) -> Descriptor:
        return Descriptor(self.media_type, self.digest, self.size, artifact_type=self.artifact_type)

    @property
    def manifests(self) -> list[Descriptor]:
        """Children of an index / manifest list (empty for an image manifest)."""
        items = self.data.get("manifests")
        return (
            [Descriptor.from_json(d) for d in items if isinstance(d, dict)] if isinstance(items, list) else []
        )

    @property
    def config(self) -> Descriptor | None:
        c = self.data.get("config")
        return Descriptor.from_json(c) if isinstance(c, dict) else None

    @property
    def layers(self) -> list[Descriptor]:
        items = self.data.get("layers")
        return (
            [Descriptor.from_json(d) for d in items if isinstance(d, dict)] if isinstance(items, list) else []
        )

    @property
    def subject(self) -> Descriptor | None:
        s = self.data.get("subject")
        return Descriptor.from_json(s) if isinstance(s, dict) else None

    @property
    def annotations(self) -> dict[str, str]:
        a = self.data.get("annotations")
        return {str(k): str(v) for k, v in a.items()} if isinstance(a, dict) else {}

    @property
    def artifact_type(self) -> str | None:
        a = self.data.get("artifactType")
        if isinstance(a, str) and a:
            return a
        cfg = self.config
        if cfg is not None and cfg.media_type not in (mt.OCI_CONFIG, mt.DOCKER_CONFIG):
            return cfg.media_type
        return None


@dataclass(frozen=True)
class Capabilities:
    """What :meth:`RegistryClient.probe` learned about a registry."""

    registry: str
    url: str
    """Base URL in use, e.g. ``https://ghcr.io`` or ``http://127.0.0.1:5000``."""
    api_version: str | None
    """``Docker-Distribution-Api-Version`` (``registry/2.0``), when sent."""
    auth: str
    """``none``, ``basic`` or ``bearer``: what ``GET /v2/`` challenged with."""
    authenticated: bool
    """Whether ``GET /v2/`` succeeded with the credentials in use (or needed none)."""
    referrers_api: bool | None = None
    """Whether ``/v2/<name>/referrers/<digest>`` is implemented (None: not probed — needs a repository)."""
    tag_pagination: bool | None = None
    """Whether the tags list honours ``n`` (None: not probed — needs a repository with 2+ tags)."""
    delete: str = "unknown"
    """Deleting cannot be probed without deleting something: always ``unknown`` from a probe."""
