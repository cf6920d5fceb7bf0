"""The few registry calls the publish path needs, over :class:`dockgen.registry.client.RegistryClient`.

:class:`ManifestStore` is the narrow interface the engine uses (HEAD/GET/PUT/DELETE of manifests, addressed
by full repository names such as ``127.0.0.1:5000/team/api``); :class:`ClientManifestStore` maps it onto one
``RegistryClient`` per registry host, so auth, retries with backoff (5xx, 429 with ``Retry-After``, dropped
connections), TLS/insecure handling and actionable errors all come from :mod:`dockgen.registry`.
"""

from __future__ import annotations

import json
import subprocess
import threading
from dataclasses import dataclass
from typing import Protocol

from dockgen.reference import normalize_registry
from dockgen.registry import errors as regerr
from dockgen.registry.client import RegistryClient
from dockgen.registry.retry import RetryPolicy


@dataclass(frozen=True)
class Manifest:
    data: bytes
    media_type: str
    digest: str


class ManifestStore(Protocol):
    def head(self, repository: str, reference: str) -> str | None:
        """Digest of ``repository:reference`` (tag or digest), None when absent."""

    def get(self, repository: str, reference: str) -> Manifest: ...

    def put(self, repository: str, tag: str, manifest: Manifest) -> None: ...

    def delete(self, repository: str, digest: str) -> None: ...

    def delete_tag(self, repository: str, tag: str) -> None:
        """Remove one tag only (OCI distribution 1.1); raises UnsupportedError where the registry cannot."""

    def tags(self, repository: str) -> list[str]:
        """Every tag of ``repository`` (empty when the repository does not exist)."""


def split_repository(repository: str) -> tuple[str, str]:
    """``host[:port]/path`` -> (normalised registry, path); Docker Hub names get ``library/``."""
    first, _, rest = repository.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return normalize_registry(first), rest
    return "docker.io", repository if "/" in repository else f"library/{repository}"


class ClientManifestStore:
    """One :class:`RegistryClient` per registry; Docker Hub reads may go through a mirror."""

    def __init__(self, *, retry: RetryPolicy | None = None, mirrors: dict[str, str] | None = None) -> None:
        self.retry = retry
        self.mirrors = mirrors or {}
        self._clients: dict[str, RegistryClient] = {}
        self._lock = threading.Lock()

    def client(self, registry: str, *, read: bool = False) -> RegistryClient:
        host = self.mirrors.get(registry, registry) if read else registry
        with self._lock:
            if host not in self._clients:
                self._clients[host] = RegistryClient(host, retry=self.retry)
            return self._clients[host]

    def head(self, repository: str, reference: str) -> str | None:
        registry, repo = split_repository(repository)
        try:
            return self.client(registry, read=True).head_manifest(repo, reference).digest
        except (regerr.ManifestNotFoundError, regerr.RepositoryNotFoundError):
            return None

    def get(self, repository: str, reference: str) -> Manifest:
        registry, repo = split_repository(repository)
        m = self.client(registry, read=True).get_manifest(repo, reference)
        return Manifest(data=m.raw, media_type=m.media_type, digest=m.digest)

    def put(self, repository: str, tag: str, manifest: Manifest) -> None:
        registry, repo = split_repository(repository)
        self.client(registry).put_manifest(repo, tag, manifest.data, manifest.media_type)

    def delete(self, repository: str, digest: str) -> None:
        registry, repo = split_repository(repository)
        self.client(registry).delete_manifest(repo, digest)

    def delete_tag(self, repository: str, tag: str) -> None:
        registry, repo = split_repository(repository)
        self.client(registry).delete_tag(repo, tag)

    def tags(self, repository: str) -> list[str]:
        registry, repo = split_repository(repository)
        try:
            return self.client(registry).list_tags(repo)
        except regerr.RepositoryNotFoundError:
            return []

    def close(self) -> None:
        for c in self._clients.values():
            c.close()


def docker_mirrors() -> list[str]:
    """Registry mirrors configured in the local engine (``docker info``), for resolving Docker Hub bases."""
    try:
        out = subprocess.run(
            ["docker", "info", "--format", "{{json .RegistryConfig.Mirrors}}"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        mirrors = json.loads(out.stdout or "null") or []
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return []
    return [m.split("://", 1)[-1].rstrip("/") for m in mirrors if isinstance(m, str)]
