"""Blobs: exists/head, get and download (digest-verified), chunked or monolithic upload, cross-repository mount, delete."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

import requests

from dockgen.reference import (
    check_digest,
)
from dockgen.registry import errors as E
from dockgen.registry.auth import (
    scope_for,
)
from dockgen.registry.models import Descriptor, sha256_digest
from dockgen.registry.transport import RegistryTransport, _read_limited, log

__all__ = ["BlobOps"]

DEFAULT_CHUNK = 8 * 1024 * 1024


class BlobOps(RegistryTransport):
    """The blob operations of :class:`dockgen.registry.client.RegistryClient`."""

    # ------------------------------------------------------------------ blobs

    def blob_exists(self, repository: str, digest: str) -> bool:
        try:
            self.head_blob(repository, digest)
        except E.NotFoundError:
            return False
        return True

    def head_blob(self, repository: str, digest: str) -> Descriptor:
        resp = self.request(
            "HEAD",
            f"/v2/{repository}/blobs/{digest}",
            scopes=[scope_for(repository, ["pull"])],
            repository=repository,
            reference=digest,
            what=f"HEAD blob {digest}",
        )
        with resp:
            size = int(resp.headers.get("Content-Length") or 0)
        return Descriptor("application/octet-stream", digest, size)

    def get_blob(self, repository: str, digest: str, *, max_bytes: int = 64 * 1024 * 1024) -> bytes:
        """Download a (small) blob into memory, verifying its digest."""
        resp = self._blob_response(repository, digest)
        with resp:
            data = _read_limited(resp, max_bytes, f"blob {digest}")
        if digest.startswith("sha256:") and sha256_digest(data) != digest:
            raise E.ProtocolError(
                f"{self.registry}/{repository}: blob {digest} arrived with a different digest"
            )
        return data

    def download_blob(self, repository: str, digest: str, dest: Path) -> int:
        """Stream a blob to ``dest`` (verifying its digest); returns its size."""
        resp = self._blob_response(repository, digest)
        h = hashlib.sha256()
        size = 0
        with resp, open(dest, "wb") as fh:
            for chunk in resp.iter_content(1024 * 1024):
                h.update(chunk)
                fh.write(chunk)
                size += len(chunk)
        if digest.startswith("sha256:") and "sha256:" + h.hexdigest() != digest:
            dest.unlink(missing_ok=True)
            raise E.ProtocolError(
                f"{self.registry}/{repository}: blob {digest} arrived with a different digest"
            )
        return size

    def _blob_response(self, repository: str, digest: str) -> requests.Response:
        return self.request(
            "GET",
            f"/v2/{repository}/blobs/{digest}",
            scopes=[scope_for(repository, ["pull"])],
            repository=repository,
            reference=digest,
            what=f"GET blob {digest}",
            stream=True,
        )

    def upload_blob(
        self,
        repository: str,
        data: bytes | Path,
        *,
        digest: str | None = None,
        chunk_size: int | None = None,
        media_type: str = "application/octet-stream",
        skip_existing: bool = True,
    ) -> Descriptor:
        """Upload a blob: monolithic (POST + PUT) or, with ``chunk_size``, chunked (POST + PATCH... + PUT).

        ``data`` is bytes or a file path (streamed). Skips blobs the registry already has. The whole upload is
        retried by the client's policy on transient failures (a broken upload session is abandoned).
        """
        size, computed = _size_and_digest(data)
        if digest is not None and digest != computed:
            raise E.InvalidReferenceError(f"blob content has digest {computed}, not {digest}")
        desc = Descriptor(media_type, computed, size)
        if skip_existing and self.blob_exists(repository, computed):
            return desc
        self.retry.call(lambda: self._upload_once(repository, data, computed, size, chunk_size))
        return desc

    def _upload_once(
        self, repository: str, data: bytes | Path, digest: str, size: int, chunk_size: int | None
    ) -> None:
        scopes = [scope_for(repository, ["pull", "push"])]
        location = self._start_upload(repository, scopes)
        ok = False
        try:
            if chunk_size is None:
                with _open_source(data) as body:
                    resp = self.request(
                        "PUT",
                        location,
                        scopes=scopes,
                        params={"digest": digest},
                        headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
                        data=body,
                        expect=(201, 204),
                        repository=repository,
                        reference=digest,
                        what=f"upload of blob {digest}",
                        retry=False,
                    )
                    resp.close()
            else:
                offset = 0
                with _open_source(data) as body:
                    while True:
                        chunk = body.read(chunk_size)
                        if not chunk:
                            break
                        resp = self.request(
                            "PATCH",
                            location,
                            scopes=scopes,
                            headers={
                                "Content-Type": "application/octet-stream",
                                "Content-Range": f"{offset}-{offset + len(chunk) - 1}",
                                "Content-Length": str(len(chunk)),
                            },
                            data=chunk,
                            expect=(202, 204),
                            repository=repository,
                            reference=digest,
                            what=f"chunk upload of blob {digest}",
                            retry=False,
                        )
                        with resp:
                            location = urljoin(resp.url, resp.headers.get("Location") or location)
                        offset += len(chunk)
                resp = self.request(
                    "PUT",
                    location,
                    scopes=scopes,
                    params={"digest": digest},
                    headers={"Content-Length": "0"},
                    expect=(201, 204),
                    repository=repository,
                    reference=digest,
                    what=f"upload of blob {digest}",
                    retry=False,
                )
                resp.close()
            ok = True
        finally:
            if not ok:
                self._cancel_upload(location, scopes)

    def _start_upload(
        self, repository: str, scopes: list[str], params: Mapping[str, str] | None = None
    ) -> str:
        resp = self.request(
            "POST",
            f"/v2/{repository}/blobs/uploads/",
            scopes=scopes,
            params=params,
            headers={"Content-Length": "0"},
            expect=(202,),
            repository=repository,
            what=f"start blob upload to {repository}",
            retry=False,
        )
        with resp:
            loc = resp.headers.get("Location")
            if not loc:
                raise E.ProtocolError(f"{self.registry}: blob upload started without a Location header")
            return urljoin(resp.url, loc)

    def _cancel_upload(self, location: str, scopes: list[str]) -> None:
        try:
            self.request("DELETE", location, scopes=scopes, expect=(200, 202, 204, 404), retry=False).close()
        except E.RegistryError:
            log.debug("could not cancel upload session")

    def mount_blob(self, repository: str, digest: str, from_repository: str) -> bool:
        """Cross-repository mount: True when the registry linked the blob, False when it wants an upload."""
        scopes = [scope_for(repository, ["pull", "push"]), scope_for(from_repository, ["pull"])]
        resp = self.request(
            "POST",
            f"/v2/{repository}/blobs/uploads/",
            scopes=scopes,
            params={"mount": digest, "from": from_repository},
            headers={"Content-Length": "0"},
            expect=(201, 202),
            repository=repository,
            reference=digest,
            what=f"mount of blob {digest} from {from_repository}",
        )
        with resp:
            mounted = resp.status_code == 201
            loc = resp.headers.get("Location")
            url = resp.url
        if not mounted and loc:
            self._cancel_upload(urljoin(url, loc), scopes)
        return mounted

    def delete_blob(self, repository: str, digest: str) -> None:
        check_digest(digest)
        self._delete(repository, "blobs", digest, f"delete blob {digest}")


def _size_and_digest(data: bytes | Path) -> tuple[int, str]:
    if isinstance(data, bytes | bytearray):
        return len(data), sha256_digest(bytes(data))
    h = hashlib.sha256()
    size = 0
    with open(data, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
            size += len(chunk)
    return size, "sha256:" + h.hexdigest()


class _open_source:
    """Context manager yielding a readable binary stream over bytes or a file."""

    def __init__(self, data: bytes | Path) -> None:
        self._data = data
        self._fh: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        import io

        if isinstance(self._data, bytes | bytearray):
            self._fh = io.BytesIO(bytes(self._data))
        else:
            self._fh = open(self._data, "rb")
        return self._fh

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()
