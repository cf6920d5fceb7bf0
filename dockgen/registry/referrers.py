"""Referrers of a manifest: the OCI referrers API, else the OCI tag schema and cosign's tag suffixes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dockgen.reference import (
    check_digest,
)
from dockgen.registry import errors as E
from dockgen.registry import mediatypes as mt
from dockgen.registry.auth import (
    scope_for,
)
from dockgen.registry.manifests import ManifestOps
from dockgen.registry.models import Descriptor, sha256_digest

__all__ = ["ReferrerOps"]


class ReferrerOps(ManifestOps):
    """The referrer operations of :class:`dockgen.registry.client.RegistryClient` (they read tags and manifests)."""

    # ------------------------------------------------------------------ referrers

    def supports_referrers_api(self, repository: str) -> bool:
        """Whether ``GET /v2/<name>/referrers/<digest>`` is implemented (cached per client)."""
        if self._referrers_api is None:
            self._referrers_api = self._referrers_via_api(repository, sha256_digest(b""), None) is not None
        return self._referrers_api

    def _referrers_via_api(
        self, repository: str, digest: str, artifact_type: str | None
    ) -> list[Descriptor] | None:
        params = {"artifactType": artifact_type} if artifact_type else None
        resp = self.request(
            "GET",
            f"/v2/{repository}/referrers/{digest}",
            scopes=[scope_for(repository, ["pull"])],
            headers={"Accept": mt.OCI_INDEX},
            params=params,
            expect=(200, 404, 400, 405),
            repository=repository,
            reference=digest,
            what="referrers",
        )
        with resp:
            content_type = resp.headers.get("Content-Type", "").split(";", 1)[0].strip()
            if resp.status_code != 200 or content_type != mt.OCI_INDEX:
                return None
            try:
                data = resp.json()
            except ValueError:
                return None
            filtered = "artifactType" in resp.headers.get("OCI-Filters-Applied", "")
        items = data.get("manifests") if isinstance(data, dict) else None
        out = [Descriptor.from_json(d, source="api") for d in items or [] if isinstance(d, dict)]
        if artifact_type and not filtered:
            out = [d for d in out if d.artifact_type == artifact_type]
        return out

    def referrers(
        self,
        repository: str,
        digest: str,
        *,
        artifact_type: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> list[Descriptor]:
        """Artifacts that refer to ``digest`` (signatures, SBOMs, attestations).

        Uses the referrers API when the registry has it; otherwise the OCI tag schema (an index tagged
        ``sha256-<hex>`` listing the referrers) plus cosign's ``sha256-<hex>.sig`` / ``.att`` / ``.sbom`` tags.
        Each descriptor's ``source`` says which (``api``, ``tag-schema``, ``cosign``). ``tags`` saves a listing.
        """
        check_digest(digest)
        if self._referrers_api is not False:
            found = self._referrers_via_api(repository, digest, artifact_type)
            if found is not None:
                self._referrers_api = True
                return found
            self._referrers_api = False
        return self.fallback_referrers(repository, digest, artifact_type=artifact_type, tags=tags)

    def fallback_referrers(
        self,
        repository: str,
        digest: str,
        *,
        artifact_type: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> list[Descriptor]:
        """Referrers found through tags only (OCI ``sha256-<hex>`` index and cosign suffixes)."""
        all_tags = set(tags) if tags is not None else set(self._tags_or_empty(repository))
        base = digest.replace(":", "-", 1)
        out: list[Descriptor] = []
        if base in all_tags:
            try:
                idx = self.get_manifest(repository, base)
            except E.NotFoundError:
                idx = None
            if idx is not None and idx.is_index:
                for d in idx.manifests:
                    out.append(
                        Descriptor(
                            d.media_type,
                            d.digest,
                            d.size,
                            d.annotations,
                            d.platform,
                            d.artifact_type,
                            d.urls,
                            source="tag-schema",
                        )
                    )
        for suffix in mt.COSIGN_SUFFIXES:
            tag = base + suffix
            if tag in all_tags:
                try:
                    head = self.head_manifest(repository, tag)
                except E.NotFoundError:
                    continue
                out.append(
                    Descriptor(
                        head.media_type,
                        head.digest,
                        head.size,
                        annotations={"org.opencontainers.image.ref.name": tag},
                        artifact_type=f"application/vnd.dev.cosign.{suffix[1:]}",
                        source="cosign",
                    )
                )
        if artifact_type:
            out = [d for d in out if d.artifact_type == artifact_type]
        return out

    def referrer_tags(self, digest: str, tags: Iterable[str]) -> list[str]:
        """Of ``tags``, those that attach artifacts to ``digest`` (``sha256-<hex>`` and cosign suffixes)."""
        base = digest.replace(":", "-", 1)
        wanted = {base, *(base + s for s in mt.COSIGN_SUFFIXES)}
        return [t for t in tags if t in wanted]
