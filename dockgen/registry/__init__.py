"""dockgen's OCI registry client: references, manifests, blobs, tags, referrers, auth and retries.

::

    from dockgen.registry import RegistryClient, parse_reference

    ref = parse_reference("registry.example.com/team/app:1.2")
    client = RegistryClient.for_reference(ref)
    print(client.list_tags(ref.repository))

See docs/registry.md and docs/auth.md.
"""

from __future__ import annotations

from dockgen.reference import Reference, normalize_registry, parse_reference
from dockgen.registry import mediatypes
from dockgen.registry.client import RegistryClient
from dockgen.registry.copy import copy_image
from dockgen.registry.errors import (
    BlobNotFoundError,
    ConnectionRefusedToRegistryError,
    DeniedError,
    InvalidReferenceError,
    LoginFailedError,
    ManifestNotFoundError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    RegistryConnectionError,
    RegistryError,
    RegistryTimeoutError,
    RepositoryNotFoundError,
    RequestRejectedError,
    ServerError,
    TLSError,
    UnauthorizedError,
    UnknownHostError,
    UnsupportedError,
)
from dockgen.registry.manifests import AddTagsResult
from dockgen.registry.models import Capabilities, Descriptor, Manifest, Platform, sha256_digest
from dockgen.registry.reachable import reachable_digests
from dockgen.registry.retry import Decision, RetryableError, RetryPolicy, classify
from dockgen.registry.transport import is_loopback

__all__ = [
    "AddTagsResult",
    "BlobNotFoundError",
    "Capabilities",
    "ConnectionRefusedToRegistryError",
    "Decision",
    "DeniedError",
    "Descriptor",
    "InvalidReferenceError",
    "LoginFailedError",
    "Manifest",
    "ManifestNotFoundError",
    "NotFoundError",
    "Platform",
    "ProtocolError",
    "RateLimitedError",
    "Reference",
    "RegistryClient",
    "RegistryConnectionError",
    "RegistryError",
    "RegistryTimeoutError",
    "RepositoryNotFoundError",
    "RequestRejectedError",
    "RetryPolicy",
    "RetryableError",
    "ServerError",
    "TLSError",
    "UnauthorizedError",
    "UnknownHostError",
    "UnsupportedError",
    "classify",
    "copy_image",
    "is_loopback",
    "list_tags",
    "mediatypes",
    "normalize_registry",
    "parse_reference",
    "reachable_digests",
    "sha256_digest",
]


def list_tags(reference: str, *, insecure: bool | None = None) -> list[str]:
    """Tags of the repository a reference names (its tag/digest part is ignored); ``[]`` for a new repository.

    Used by ``dockgen tags --existing-from-registry``. Credentials come from the docker config / environment.
    """
    ref = parse_reference(reference)
    with RegistryClient.for_reference(ref, insecure=insecure) as client:
        try:
            return client.list_tags(ref.repository)
        except RepositoryNotFoundError:
            return []
