"""Media types the registry client understands (OCI image spec + Docker distribution)."""

from __future__ import annotations

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"

OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_EMPTY = "application/vnd.oci.empty.v1+json"

OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd"
DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"
DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

IN_TOTO = "application/vnd.in-toto+json"
"""Layer media type of BuildKit attestation manifests (SBOM / provenance statements)."""

INDEX_TYPES: frozenset[str] = frozenset({OCI_INDEX, DOCKER_MANIFEST_LIST})
"""Manifests that list other manifests (multi-platform images)."""

IMAGE_MANIFEST_TYPES: frozenset[str] = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
"""Manifests that describe one image: a config blob and layers."""

MANIFEST_TYPES: frozenset[str] = INDEX_TYPES | IMAGE_MANIFEST_TYPES

ACCEPT_MANIFESTS = ", ".join([OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST])
"""The ``Accept`` header sent on manifest GET/HEAD: every manifest type, indexes first."""

# Annotations BuildKit puts on attestation manifests inside an image index.
REFERENCE_TYPE_ANNOTATION = "vnd.docker.reference.type"
REFERENCE_DIGEST_ANNOTATION = "vnd.docker.reference.digest"
ATTESTATION_MANIFEST = "attestation-manifest"

# Cosign's tag conventions for artifacts attached to ``sha256:<hex>``: ``sha256-<hex>.<suffix>``.
COSIGN_SUFFIXES: tuple[str, ...] = (".sig", ".att", ".sbom")


def is_index(media_type: str) -> bool:
    return media_type in INDEX_TYPES


def is_image_manifest(media_type: str) -> bool:
    return media_type in IMAGE_MANIFEST_TYPES
