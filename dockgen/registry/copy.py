"""Copying an image (an index with its children, or one manifest with its blobs) between repositories/registries."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from dockgen.registry.client import RegistryClient

__all__ = ["copy_image"]


def copy_image(
    src: RegistryClient,
    src_repository: str,
    reference: str,
    dst: RegistryClient,
    dst_repository: str,
    dst_reference: str | None = None,
    *,
    on_progress: Callable[[str], None] | None = None,
) -> str:
    """Copy a manifest (an index with all its children, or an image with its blobs) between repositories or
    registries. Blobs are mounted when both sides are the same registry, else streamed through a temp file.
    Returns the digest (unchanged: manifests are copied byte for byte)."""
    m = src.get_manifest(src_repository, reference)
    if m.is_index:
        for child in m.manifests:
            copy_image(
                src, src_repository, child.digest, dst, dst_repository, child.digest, on_progress=on_progress
            )
    else:
        blobs = [d for d in [m.config, *m.layers] if d is not None and not d.urls]
        for b in blobs:
            if dst.blob_exists(dst_repository, b.digest):
                continue
            same_registry = src is dst or (src.registry == dst.registry and src.base_url == dst.base_url)
            if (
                same_registry
                and src_repository != dst_repository
                and dst.mount_blob(dst_repository, b.digest, src_repository)
            ):
                continue
            with tempfile.TemporaryDirectory(prefix="dockgen-blob-") as tmp:
                path = Path(tmp) / "blob"
                src.download_blob(src_repository, b.digest, path)
                dst.upload_blob(dst_repository, path, digest=b.digest, skip_existing=False)
            if on_progress:
                on_progress(f"copied blob {b.digest}")
    digest = dst.put_manifest(dst_repository, dst_reference or m.digest, m.raw, m.media_type)
    if on_progress:
        on_progress(f"copied manifest {digest}")
    return digest
