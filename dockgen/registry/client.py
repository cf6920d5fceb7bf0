"""An OCI distribution API client on ``requests``: tags, manifests, blobs, referrers, deletes, auth, retries.

::

    from dockgen.registry import RegistryClient, parse_reference

    ref = parse_reference("127.0.0.1:5000/team/app:1.2")
    client = RegistryClient.for_reference(ref)
    manifest = client.get_manifest(ref.repository, ref.reference)

Credentials are looked up lazily (only when the registry challenges) through :mod:`dockgen.registry.credentials`.
Every failure is a :class:`dockgen.errors.RegistryError` subclass from :mod:`dockgen.registry.errors`.
"""

from __future__ import annotations

from dockgen.registry import errors as E
from dockgen.registry.blobs import BlobOps
from dockgen.registry.models import Capabilities
from dockgen.registry.referrers import ReferrerOps

__all__ = ["RegistryClient"]


class RegistryClient(ReferrerOps, BlobOps):
    """One registry host. Thread-safe for concurrent requests (tokens are cached per scope).

    ``credentials``: explicit credentials, or None to look them up (docker config, helpers, environment) when
    the registry first asks; ``anonymous=True`` never sends any. ``insecure``: True allows plain HTTP and
    unverified TLS; None (default) allows an HTTP fallback for loopback registries and those listed in
    ``DOCKGEN_INSECURE_REGISTRIES`` (like Docker, but a loopback registry that *does* speak TLS must present a
    certificate we trust); False forbids HTTP. ``ca_bundle``: a PEM file to verify TLS with (default
    ``DOCKGEN_CA_BUNDLE``, else ``/etc/docker/certs.d/<host>/ca.crt`` when present, else the system store).

    Built from :class:`~dockgen.registry.transport.RegistryTransport` (session, auth, retries) and the operations
    of :mod:`~dockgen.registry.manifests`, :mod:`~dockgen.registry.blobs` and :mod:`~dockgen.registry.referrers`.
    """

    def probe(self, repository: str | None = None) -> Capabilities:
        """What the registry supports. With a repository: whether the referrers API and tag paging work."""
        base = self._ensure_base()
        auth = self._challenge.scheme if self._challenge else "none"
        try:
            authenticated = self.ping()
        except E.UnauthorizedError:
            authenticated = False
        referrers: bool | None = None
        paging: bool | None = None
        if repository:
            referrers = self.supports_referrers_api(repository)
            try:
                tags, next_url = self._tags_page(f"/v2/{repository}/tags/list", {"n": "1"}, repository)
                # more than asked: n is ignored; a next link: paging works; otherwise it cannot be told
                paging = False if len(tags) > 1 else (True if next_url else None)
            except E.NotFoundError:
                paging = None
        return Capabilities(
            registry=self.registry,
            url=base,
            api_version=self._ping_headers.get("Docker-Distribution-Api-Version"),
            auth=auth,
            authenticated=authenticated,
            referrers_api=referrers,
            tag_pagination=paging,
        )
