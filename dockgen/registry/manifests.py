"""Tags, the catalog and manifests: listing (paginated), get/head/put/delete, and adding tags to a manifest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from dockgen.reference import (
    check_digest,
    is_digest,
)
from dockgen.registry import errors as E
from dockgen.registry import mediatypes as mt
from dockgen.registry.auth import (
    scope_for,
)
from dockgen.registry.models import Descriptor, Manifest, sha256_digest
from dockgen.registry.transport import RegistryTransport, _read_limited, log

__all__ = ["AddTagsResult", "ManifestOps"]

MAX_MANIFEST_BYTES = 4 * 1024 * 1024
_MAX_PAGES = 10_000


@dataclass(frozen=True)
class AddTagsResult:
    """What :meth:`RegistryClient.add_tags` did, tag by tag."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    """Already pointing at the digest."""
    conflicting: list[str] = field(default_factory=list)
    """Existing tags pointing elsewhere, left alone (``overwrite=False``) or moved (listed in ``added``)."""


class ManifestOps(RegistryTransport):
    """The tag, catalog and manifest operations of :class:`dockgen.registry.client.RegistryClient`."""

    # ------------------------------------------------------------------ tags and catalog

    def _tags_page(
        self, url: str, params: Mapping[str, str] | None, repository: str | None, key: str = "tags"
    ) -> tuple[list[str], str | None]:
        scopes = [scope_for(repository, ["pull"])] if repository else ["registry:catalog:*"]
        resp = self.request(
            "GET", url, scopes=scopes, params=params, repository=repository, what=f"list {key}"
        )
        with resp:
            try:
                data = resp.json()
            except ValueError:
                raise E.ProtocolError(f"{self.registry}: {key} list is not JSON") from None
            next_url = (resp.links.get("next") or {}).get("url")
        items = data.get(key) if isinstance(data, dict) else None
        values = [str(t) for t in items] if isinstance(items, list) else []
        if next_url:
            next_url = urljoin(resp.url, next_url)
        return values, next_url

    def _paginate(self, path: str, repository: str | None, key: str, page_size: int | None) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        params: dict[str, str] | None = {"n": str(page_size)} if page_size else None
        url: str = path
        for _ in range(_MAX_PAGES):
            page, next_url = self._tags_page(url, params, repository, key)
            fresh = [t for t in page if t not in seen]
            out.extend(fresh)
            seen.update(fresh)
            if next_url:
                url, params = next_url, None
            elif page_size and len(page) == page_size and fresh:
                # no Link header but a full page: ask for what comes after the last one (older registries)
                url, params = path, {"n": str(page_size), "last": page[-1]}
            else:
                break
            if not fresh:
                break
        return out

    def list_tags(self, repository: str, *, page_size: int | None = None) -> list[str]:
        """All tags of a repository, following ``Link: <...>; rel="next"`` pages (``page_size`` sets ``n``).

        Raises :class:`RepositoryNotFoundError` for an unknown repository. (Distribution 2.x ignores ``n`` on
        the tags list and sends everything in one page; that works too.)
        """
        return self._paginate(f"/v2/{repository}/tags/list", repository, "tags", page_size)

    def list_repositories(self, *, page_size: int | None = None) -> list[str]:
        """The catalog (``/v2/_catalog``), paginated. Many hosted registries disable it."""
        return self._paginate("/v2/_catalog", None, "repositories", page_size)

    # ------------------------------------------------------------------ manifests

    def get_manifest(self, repository: str, reference: str, *, accept: str = mt.ACCEPT_MANIFESTS) -> Manifest:
        """Fetch a manifest by tag or digest, accepting all four manifest types. Verifies digest references."""
        resp = self.request(
            "GET",
            f"/v2/{repository}/manifests/{reference}",
            scopes=[scope_for(repository, ["pull"])],
            headers={"Accept": accept},
            repository=repository,
            reference=reference,
            what=f"GET manifest {repository}:{reference}",
            stream=True,
        )
        with resp:
            raw = _read_limited(resp, MAX_MANIFEST_BYTES, f"{self.registry}/{repository}:{reference}")
            content_type = resp.headers.get("Content-Type", "").split(";", 1)[0].strip()
            header_digest = resp.headers.get("Docker-Content-Digest")
        computed = sha256_digest(raw)
        if is_digest(reference) and reference.startswith("sha256:") and computed != reference:
            raise E.ProtocolError(
                f"{self.registry}/{repository}@{reference}: the registry sent content with digest {computed}",
                hint="the registry or a proxy in between altered the manifest; do not trust this registry",
            )
        if header_digest and header_digest != computed and header_digest.startswith("sha256:"):
            log.warning(
                "%s: Docker-Content-Digest %s differs from the content's %s",
                self.registry,
                header_digest,
                computed,
            )
        try:
            manifest = Manifest.from_bytes(raw, None, computed)
        except ValueError:
            raise E.ProtocolError(
                f"{self.registry}/{repository}:{reference}: manifest is not a JSON object"
            ) from None
        if content_type in mt.MANIFEST_TYPES and content_type != manifest.media_type:
            manifest = Manifest(content_type, computed, raw, manifest.data)
        return manifest

    def head_manifest(
        self, repository: str, reference: str, *, accept: str = mt.ACCEPT_MANIFESTS
    ) -> Descriptor:
        """``HEAD`` a manifest: its media type, digest (``Docker-Content-Digest``) and size, without the body.

        Registries that omit ``Docker-Content-Digest`` on HEAD: falls back to a GET and hashes the body.
        """
        resp = self.request(
            "HEAD",
            f"/v2/{repository}/manifests/{reference}",
            scopes=[scope_for(repository, ["pull"])],
            headers={"Accept": accept},
            repository=repository,
            reference=reference,
            what=f"HEAD manifest {repository}:{reference}",
        )
        with resp:
            digest = resp.headers.get("Docker-Content-Digest")
            media_type = resp.headers.get("Content-Type", "").split(";", 1)[0].strip()
            size = int(resp.headers.get("Content-Length") or 0)
        if not digest or media_type not in mt.MANIFEST_TYPES:
            m = self.get_manifest(repository, reference, accept=accept)
            return m.descriptor
        return Descriptor(media_type, digest, size)

    def manifest_exists(self, repository: str, reference: str) -> bool:
        try:
            self.head_manifest(repository, reference)
        except (E.ManifestNotFoundError, E.RepositoryNotFoundError):
            return False
        return True

    def resolve(self, repository: str, reference: str) -> str:
        """Tag (or digest) -> digest, via HEAD."""
        return self.head_manifest(repository, reference).digest

    def put_manifest(self, repository: str, reference: str, raw: bytes, media_type: str | None = None) -> str:
        """Push a manifest (image manifest or index) under a tag or its digest; returns its digest."""
        kind = media_type or Manifest.from_bytes(raw).media_type
        computed = sha256_digest(raw)
        if is_digest(reference) and reference != computed:
            raise E.InvalidReferenceError(f"cannot put a manifest with digest {computed} under {reference}")
        resp = self.request(
            "PUT",
            f"/v2/{repository}/manifests/{reference}",
            scopes=[scope_for(repository, ["pull", "push"])],
            headers={"Content-Type": kind},
            data=raw,
            expect=(200, 201),
            repository=repository,
            reference=reference,
            what=f"manifest {repository}:{reference}",
        )
        with resp:
            digest = resp.headers.get("Docker-Content-Digest") or computed
        if digest != computed:
            log.warning(
                "%s: stored manifest digest %s differs from the pushed bytes' %s",
                self.registry,
                digest,
                computed,
            )
        return computed

    def delete_manifest(self, repository: str, digest: str) -> None:
        """Delete a manifest by digest (every tag pointing at it goes too)."""
        check_digest(digest)
        self._delete(repository, "manifests", digest, f"delete manifest {repository}@{digest}")

    def delete_tag(self, repository: str, tag: str) -> None:
        """Delete only a tag (OCI distribution 1.1 ``DELETE /manifests/<tag>``).

        Distribution 2.x and most hosted registries delete by digest only: then :class:`UnsupportedError`
        explains it (deleting the digest would remove every tag pointing at it).
        """
        if is_digest(tag):
            raise E.InvalidReferenceError(f"{tag!r} is a digest, not a tag", hint="use delete_manifest()")
        try:
            self._delete(repository, "manifests", tag, f"delete tag {repository}:{tag}")
        except E.RequestRejectedError as exc:
            if exc.status == 400 or "DIGEST_INVALID" in exc.codes:
                raise E.UnsupportedError(
                    f"{self.registry} deletes manifests by digest only, not by tag (it answered {', '.join(exc.codes) or exc.status})",
                    hint=(
                        "delete the digest instead (this removes every tag pointing at it), or untag through the "
                        "registry's vendor API"
                    ),
                ) from None
            raise

    # ------------------------------------------------------------------ tags on existing manifests

    def tag(self, repository: str, source: str, new_tag: str) -> str:
        """Put the manifest at ``source`` (tag or digest) under ``new_tag`` as well; returns the digest."""
        m = self.get_manifest(repository, source)
        return self.put_manifest(repository, new_tag, m.raw, m.media_type)

    def add_tags(
        self,
        repository: str,
        source: str,
        tags: Iterable[str],
        *,
        overwrite: bool = False,
        existing: Iterable[str] | None = None,
    ) -> AddTagsResult:
        """Add only the tags that are missing, pointing at ``source``'s manifest (pushed byte-for-byte).

        A tag that already points at the same digest is ``unchanged``; one pointing elsewhere is ``conflicting``
        and is moved only with ``overwrite=True``. ``existing`` saves a tag listing when the caller has one.
        """
        m = self.get_manifest(repository, source)
        present = set(existing) if existing is not None else set(self._tags_or_empty(repository))
        result = AddTagsResult()
        for t in dict.fromkeys(tags):
            if t in present:
                current = self.resolve(repository, t)
                if current == m.digest:
                    result.unchanged.append(t)
                    continue
                result.conflicting.append(t)
                if not overwrite:
                    continue
            self.put_manifest(repository, t, m.raw, m.media_type)
            result.added.append(t)
        return result

    def _tags_or_empty(self, repository: str) -> list[str]:
        try:
            return self.list_tags(repository)
        except E.RepositoryNotFoundError:
            return []
