"""Everything a manifest keeps alive: the base of digest-safe retention.

``reachable_digests(client, repo, digest)`` walks, recursively: index children (platform images and BuildKit
attestation manifests), referrers (from the referrers API, or the ``sha256-<hex>`` tag-schema index — whose own
digest is included too — and cosign's ``.sig`` / ``.att`` / ``.sbom`` tags), and the children/referrers of all of
those. Deleting any digest outside the set cannot break the image; deleting one inside it can.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockgen.reference import check_digest
from dockgen.registry import errors as E
from dockgen.registry.client import RegistryClient

__all__ = ["reachable_digests"]


def reachable_digests(
    client: RegistryClient,
    repository: str,
    digest: str,
    *,
    tags: Sequence[str] | None = None,
    include_blobs: bool = False,
) -> set[str]:
    """Manifest digests reachable from ``digest`` (itself included); with ``include_blobs`` also config and
    layer digests. ``tags`` (the repository's tag list) saves listing it again for the fallback lookups.
    A child the registry no longer has is still reported (it is referenced) but not descended into."""
    check_digest(digest)
    all_tags = list(tags) if tags is not None else _tags(client, repository)
    seen: set[str] = set()
    blobs: set[str] = set()
    todo = [digest]
    while todo:
        d = todo.pop()
        if d in seen:
            continue
        seen.add(d)
        try:
            m = client.get_manifest(repository, d)
        except E.NotFoundError:
            continue
        todo.extend(c.digest for c in m.manifests)
        if include_blobs:
            blobs.update(b.digest for b in [m.config, *m.layers] if b is not None)
        todo.extend(r.digest for r in client.referrers(repository, d, tags=all_tags))
        # the tag-schema index and cosign artifacts are manifests in their own right
        for tag in client.referrer_tags(d, all_tags):
            try:
                todo.append(client.resolve(repository, tag))
            except E.NotFoundError:
                continue
    return seen | blobs


def _tags(client: RegistryClient, repository: str) -> list[str]:
    try:
        return client.list_tags(repository)
    except E.RepositoryNotFoundError:
        return []
