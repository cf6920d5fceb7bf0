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

import hashlib
import ipaddress
import json
import logging
import os
import ssl
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

import requests

from dockgen.reference import (
    Reference,
    api_host,
    check_digest,
    is_digest,
    normalize_registry,
    parse_reference,
)
from dockgen.registry import credentials as _credentials
from dockgen.registry import errors as E
from dockgen.registry import mediatypes as mt
from dockgen.registry.auth import (
    Challenge,
    TokenCache,
    TokenRejected,
    basic_header,
    fetch_token,
    parse_challenges,
    scope_for,
)
from dockgen.registry.credentials import Credentials
from dockgen.registry.models import Capabilities, Descriptor, Manifest, sha256_digest
from dockgen.registry.retry import RetryPolicy

__all__ = ["AddTagsResult", "RegistryClient", "is_loopback"]


def _checked_ca_bundle(path: str, given_as: str) -> str:
    """``path`` when it is a readable PEM file of CA certificates; a RegistryError saying which otherwise."""
    import ssl

    hint = "give the PEM file of the CA that signed the registry's certificate"
    if not os.path.isfile(path):
        raise E.RegistryError(f"{given_as} {path}: no such file", hint=hint)
    try:
        ssl.create_default_context(cafile=path)
    except (OSError, ValueError, ssl.SSLError) as exc:
        raise E.RegistryError(
            f"{given_as} {path}: not a PEM file of CA certificates ({exc})", hint=hint
        ) from None
    return path


log = logging.getLogger("dockgen.registry")

DEFAULT_TIMEOUT = (10.0, 60.0)
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
DEFAULT_CHUNK = 8 * 1024 * 1024
_MAX_PAGES = 10_000


def is_loopback(host: str) -> bool:
    """``localhost``, ``127.0.0.0/8`` or ``[::1]`` (port ignored)."""
    h = host
    if h.startswith("["):
        h = h[1 : h.index("]")] if "]" in h else h[1:]
    elif h.count(":") == 1:
        h = h.split(":", 1)[0]
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def _env_insecure(env: Mapping[str, str]) -> set[str]:
    raw = env.get("DOCKGEN_INSECURE_REGISTRIES", "")
    return {normalize_registry(h) for h in raw.replace(",", " ").split() if h}


@dataclass(frozen=True)
class AddTagsResult:
    """What :meth:`RegistryClient.add_tags` did, tag by tag."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    """Already pointing at the digest."""
    conflicting: list[str] = field(default_factory=list)
    """Existing tags pointing elsewhere, left alone (``overwrite=False``) or moved (listed in ``added``)."""


class RegistryClient:
    """One registry host. Thread-safe for concurrent requests (tokens are cached per scope).

    ``credentials``: explicit credentials, or None to look them up (docker config, helpers, environment) when
    the registry first asks; ``anonymous=True`` never sends any. ``insecure``: True allows plain HTTP and
    unverified TLS; None (default) allows an HTTP fallback for loopback registries and those listed in
    ``DOCKGEN_INSECURE_REGISTRIES`` (like Docker, but a loopback registry that *does* speak TLS must present a
    certificate we trust); False forbids HTTP. ``ca_bundle``: a PEM file to verify TLS with (default
    ``DOCKGEN_CA_BUNDLE``, else ``/etc/docker/certs.d/<host>/ca.crt`` when present, else the system store).
    """

    def __init__(
        self,
        registry: str,
        *,
        credentials: Credentials | None = None,
        anonymous: bool = False,
        insecure: bool | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | tuple[float, float] | None = None,
        session: requests.Session | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._env: Mapping[str, str] = dict(os.environ if env is None else env)
        self.registry = normalize_registry(registry)
        self.host = api_host(self.registry)
        self._creds: Credentials | None = credentials
        self._creds_resolved = credentials is not None or anonymous
        self.anonymous = anonymous
        listed = self.registry in _env_insecure(self._env) or self.host in _env_insecure(self._env)
        self.insecure = True if (insecure is None and listed) else insecure
        self._verify: bool | str = self._pick_verify(ca_bundle)
        self.retry = retry or RetryPolicy()
        if timeout is None:
            env_timeout = self._env.get("DOCKGEN_REGISTRY_TIMEOUT")
            timeout = (DEFAULT_TIMEOUT[0], float(env_timeout)) if env_timeout else DEFAULT_TIMEOUT
        self.timeout = timeout
        self.session = session or requests.Session()
        from dockgen._version import __version__

        self.session.headers["User-Agent"] = f"dockgen/{__version__}"
        self._base: str | None = None
        self._tls_verify_off = False
        self._lock = threading.RLock()
        self._tokens = TokenCache()
        self._challenge: Challenge | None = None
        self._ping_status: int | None = None
        self._ping_headers: Mapping[str, str] = {}
        self._referrers_api: bool | None = None

    # ------------------------------------------------------------------ construction helpers

    @classmethod
    def for_reference(
        cls,
        ref: Reference | str,
        *,
        credentials: Credentials | None = None,
        insecure: bool | None = None,
        **kwargs: Any,
    ) -> RegistryClient:
        """A client for the registry a reference lives on (``docker.io`` -> ``registry-1.docker.io``)."""
        r = parse_reference(ref) if isinstance(ref, str) else ref
        return cls(r.registry, credentials=credentials, insecure=insecure, **kwargs)

    def __repr__(self) -> str:
        who = "anonymous" if self.anonymous else (self._creds.username if self._creds else "auto")
        return f"RegistryClient({self.registry!r}, url={self._base!r}, user={who!r})"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pick_verify(self, ca_bundle: str | os.PathLike[str] | None) -> bool | str:
        if ca_bundle is not None:
            return _checked_ca_bundle(os.fspath(ca_bundle), "--ca-bundle")
        env_ca = self._env.get("DOCKGEN_CA_BUNDLE")
        if env_ca:
            return _checked_ca_bundle(env_ca, "DOCKGEN_CA_BUNDLE")
        certs_d = Path("/etc/docker/certs.d") / self.host / "ca.crt"
        if certs_d.is_file():
            return str(certs_d)
        # requests would otherwise take REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE only when verify=True
        return True

    @property
    def username(self) -> str | None:
        return self._creds.username if self._creds and self._creds.username else None

    def _credentials(self) -> Credentials | None:
        with self._lock:
            if not self._creds_resolved:
                self._creds = _credentials.resolve(self.registry, self._env)
                self._creds_resolved = True
            return None if self.anonymous else self._creds

    # ------------------------------------------------------------------ transport

    def _verify_for(self, url: str) -> bool | str:
        if url.startswith("https://") and self._tls_verify_off:
            return False
        return self._verify

    def _transport_error(self, exc: requests.RequestException, host: str | None = None) -> E.RegistryError:
        """Map a ``requests`` exception to an actionable error (never includes headers or secrets)."""
        where = host or self.registry
        chain: list[BaseException] = []
        todo: list[BaseException | None] = [exc]
        while todo and len(chain) < 20:
            e = todo.pop()
            if e is None or any(e is c for c in chain):
                continue
            chain.append(e)
            todo.extend([e.__cause__, e.__context__])
            todo.extend(
                a
                for a in [getattr(e, "reason", None), *getattr(e, "args", ())]
                if isinstance(a, BaseException)
            )
        for e in chain:
            if isinstance(e, ssl.SSLCertVerificationError):
                return E.TLSError(where, f"certificate verify failed: {e.verify_message}")
        if isinstance(exc, requests.exceptions.SSLError):
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text:
                return E.TLSError(where, "certificate verify failed")
            for e in chain:
                if isinstance(e, ssl.SSLError) and getattr(e, "reason", None):
                    return E.TLSError(where, str(getattr(e, "reason", "")).lower().replace("_", " "))
            return E.TLSError(where, "handshake error")
        for e in chain:
            if type(e).__name__ == "NameResolutionError" or (
                isinstance(e, OSError) and type(e).__name__ == "gaierror"
            ):
                return E.UnknownHostError(where)
        for e in chain:
            if isinstance(e, ConnectionRefusedError):
                return E.ConnectionRefusedToRegistryError(where)
        if isinstance(exc, requests.Timeout):
            return E.RegistryTimeoutError(
                where, "connect" if isinstance(exc, requests.ConnectTimeout) else "read"
            )
        return E.RegistryConnectionError(
            f"connection to {where} failed or was dropped ({type(exc).__name__})",
            hint="retry; if it persists check the network, proxy settings and the registry's health",
        )

    def _raw(self, method: str, url: str, **kw: Any) -> requests.Response:
        kw.setdefault("timeout", self.timeout)
        kw.setdefault("verify", self._verify_for(url))
        kw.setdefault("allow_redirects", True)
        log.debug("%s %s", method, url.split("?", 1)[0])
        try:
            return self.session.request(method, url, **kw)
        except requests.RequestException as exc:
            raise self._transport_error(exc) from None

    @property
    def base_url(self) -> str:
        """``https://host`` or ``http://host``, decided on first use (pings ``/v2/``)."""
        self._ensure_base()
        assert self._base is not None
        return self._base

    def _ensure_base(self) -> str:
        with self._lock:
            if self._base is not None:
                return self._base
            https = f"https://{self.host}"
            http = f"http://{self.host}"
            may_fall_back = self.insecure is True or (self.insecure is None and is_loopback(self.host))
            if self.insecure is True:
                self._tls_verify_off = True
                import urllib3

                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
                log.warning(
                    "%s is insecure: TLS certificates are not verified, plain HTTP is allowed", self.registry
                )
            try:
                resp = self.retry.call(lambda: self._raw("GET", https + "/v2/"))
                self._base = https
            except E.TLSError as exc:
                if not may_fall_back or "certificate verify failed" in exc.message:
                    raise
                resp = self.retry.call(lambda: self._raw("GET", http + "/v2/"))
                self._base = http
            except E.RegistryConnectionError as exc:
                if not may_fall_back or isinstance(
                    exc, E.UnknownHostError | E.ConnectionRefusedToRegistryError
                ):
                    raise
                resp = self.retry.call(lambda: self._raw("GET", http + "/v2/"))
                self._base = http
            self._remember_ping(resp)
            return self._base

    def _remember_ping(self, resp: requests.Response) -> None:
        with resp:
            self._ping_status = resp.status_code
            self._ping_headers = dict(resp.headers)
            if resp.status_code == 401:
                self._pick_challenge(parse_challenges(resp.headers.get("WWW-Authenticate")))
            elif resp.status_code >= 500 or resp.status_code == 429:
                self._raise_for(resp, "GET /v2/")
            elif resp.status_code == 404:
                raise E.ProtocolError(
                    f"{self.registry} does not serve the registry API at /v2/ (HTTP 404)",
                    hint="is this a registry? (the image reference's first component is taken as the host)",
                )

    def _pick_challenge(self, challenges: Sequence[Challenge]) -> Challenge | None:
        chosen = next((c for c in challenges if c.scheme == "bearer" and c.realm), None)
        chosen = chosen or next((c for c in challenges if c.scheme == "basic"), None)
        if chosen is not None:
            # keep the realm/service; the per-request scope is added by the caller
            self._challenge = Challenge(
                chosen.scheme, {k: v for k, v in chosen.params.items() if k != "scope"}
            )
        return chosen

    def _authorization(self, scopes: Sequence[str]) -> str | None:
        ch = self._challenge
        if ch is None:
            return None
        creds = self._credentials()
        if ch.scheme == "basic":
            return basic_header(creds) if creds is not None else None
        assert ch.realm is not None
        key = TokenCache.key(ch.realm, ch.service or "", scopes)
        token = self._tokens.get(key)
        if token is None:
            try:
                token, expires = fetch_token(self.session, ch, list(key[2]), creds, timeout=self.timeout)
            except TokenRejected:
                raise E.UnauthorizedError(self.registry, username=creds.username if creds else None) from None
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else 0
                if status == 429:
                    raise E.RateLimitedError(self.registry, None) from None
                raise E.ServerError(self.registry, status, "token request") from None
            except requests.RequestException as exc:
                host = ch.realm.split("/")[2] if "//" in ch.realm else ch.realm
                raise self._transport_error(exc, host) from None
            except ValueError as exc:
                raise E.ProtocolError(f"{self.registry}: bad answer from the token service: {exc}") from None
            self._tokens.put(key, token, expires)
        return f"Bearer {token}"

    def request(
        self,
        method: str,
        path: str,
        *,
        scopes: Sequence[str] = (),
        expect: Iterable[int] = (200,),
        what: str | None = None,
        repository: str | None = None,
        reference: str | None = None,
        retry: bool = True,
        **kw: Any,
    ) -> requests.Response:
        """Send one API request (``path`` relative to ``/v2/`` root, or an absolute URL from ``Location``).

        Handles the auth handshake, retries (idempotent requests, or when ``retry=True``) and turns any status
        outside ``expect`` into a :class:`RegistryError`. The caller owns (and closes) the response.
        """
        base = self._ensure_base()
        url = path if path.startswith(("http://", "https://")) else base + path
        headers_in: dict[str, str] = dict(kw.pop("headers", None) or {})
        label = what or f"{method} {path.split('?', 1)[0]}"
        scope_list = list(scopes)

        def attempt() -> requests.Response:
            headers = dict(headers_in)
            auth = self._authorization(scope_list)
            if auth:
                headers["Authorization"] = auth
            resp = self._raw(method, url, headers=headers, **kw)
            if resp.status_code != 401:
                return resp
            challenges = parse_challenges(resp.headers.get("WWW-Authenticate"))
            chosen = self._pick_challenge(challenges)
            if chosen is None:
                return resp
            want = sorted(set(scope_list) | set(chosen.scopes))
            new_auth = self._authorization(want)
            if new_auth is None or new_auth == auth:
                return resp  # nothing better to offer: surface the 401
            resp.close()
            headers["Authorization"] = new_auth
            scope_list[:] = want
            return self._raw(method, url, headers=headers, **kw)

        policy = self.retry if retry else RetryPolicy(attempts=1)
        resp = policy.call(attempt)
        if resp.status_code in set(expect):
            return resp
        with resp:
            self._raise_for(resp, label, repository=repository, reference=reference, method=method)
        raise AssertionError("unreachable")  # pragma: no cover

    def _raise_for(
        self,
        resp: requests.Response,
        what: str,
        *,
        repository: str | None = None,
        reference: str | None = None,
        method: str = "GET",
    ) -> None:
        status = resp.status_code
        codes, detail = _error_codes(resp)
        if status == 401:
            creds = None if self.anonymous else self._creds
            if creds is not None and self._challenge is not None and self._challenge.scheme == "bearer":
                # the token service accepted the user, the registry did not accept the token for this scope
                raise E.DeniedError(self.registry, repository, _action(method), username=creds.username)
            raise E.UnauthorizedError(self.registry, username=creds.username if creds else None)
        if status == 403 or "DENIED" in codes:
            raise E.DeniedError(self.registry, repository, _action(method), username=self.username)
        if status == 404:
            if "NAME_UNKNOWN" in codes and repository:
                raise E.RepositoryNotFoundError(self.registry, repository)
            if "BLOB_UNKNOWN" in codes or "/blobs/" in what:
                raise E.BlobNotFoundError(self.registry, repository or "?", reference or "?")
            if repository and reference:
                raise E.ManifestNotFoundError(self.registry, repository, reference)
            raise E.NotFoundError(f"{self.registry}: {what}: not found")
        if status == 405 or "UNSUPPORTED" in codes:
            raise E.UnsupportedError(
                f"{self.registry} does not support {what} (HTTP {status}{', UNSUPPORTED' if codes else ''})"
            )
        if status == 429 or "TOOMANYREQUESTS" in codes:
            from dockgen.registry.retry import parse_retry_after

            raise E.RateLimitedError(self.registry, parse_retry_after(resp.headers.get("Retry-After")))
        if status >= 500:
            raise E.ServerError(self.registry, status, what)
        raise E.RequestRejectedError(self.registry, what, status, codes, detail)

    # ------------------------------------------------------------------ probing

    def ping(self) -> bool:
        """True when ``GET /v2/`` answers 200 with the credentials in use (authenticating if challenged)."""
        self._ensure_base()
        if self._ping_status == 200:
            return True
        resp = self.request("GET", "/v2/", expect=(200,), what="GET /v2/")
        resp.close()
        self._ping_status = 200
        return True

    def verify_credentials(self) -> bool:
        """Check the client's credentials like ``docker login`` does; False when the registry needs none.

        Bearer registries: ask the token service for a token (no scope) with the credentials; Basic registries:
        ``GET /v2/`` with them. Raises :class:`LoginFailedError` (naming the user, never the password).
        """
        self._ensure_base()
        ch = self._challenge
        creds = self._credentials()
        if ch is None:
            return False
        if creds is None:
            raise E.UnauthorizedError(self.registry)
        if ch.scheme == "bearer":
            try:
                token, expires = fetch_token(self.session, ch, [], creds, timeout=self.timeout)
            except TokenRejected:
                raise E.LoginFailedError(self.registry, username=creds.username) from None
            except requests.RequestException as exc:
                host = ch.realm.split("/")[2] if ch.realm and "//" in ch.realm else self.registry
                raise self._transport_error(exc, host) from None
            except ValueError as exc:
                raise E.ProtocolError(f"{self.registry}: bad answer from the token service: {exc}") from None
            self._tokens.put(TokenCache.key(ch.realm or "", ch.service or "", []), token, expires)
            return True
        try:
            self.ping()
        except E.UnauthorizedError:
            raise E.LoginFailedError(self.registry, username=creds.username) from None
        return True

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

    def _delete(self, repository: str, kind: str, reference: str, what: str) -> None:
        """``DELETE /v2/<repository>/<kind>/<reference>``; deletes turned off become an error saying how to enable them."""
        try:
            self.request(
                "DELETE",
                f"/v2/{repository}/{kind}/{reference}",
                scopes=[scope_for(repository, ["delete"])],
                expect=(200, 202),
                repository=repository,
                reference=reference,
                what=what,
            ).close()
        except E.UnsupportedError:
            raise _deletes_disabled(self.registry) from None

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


def _action(method: str) -> str:
    return {
        "GET": "pull from",
        "HEAD": "pull from",
        "DELETE": "delete from",
    }.get(method.upper(), "push to")


def _deletes_disabled(registry: str) -> E.UnsupportedError:
    return E.UnsupportedError(
        f"{registry} refuses deletes (405/UNSUPPORTED)",
        hint=(
            "for a distribution registry enable storage.delete.enabled (REGISTRY_STORAGE_DELETE_ENABLED=true); "
            "GHCR and Docker Hub need their vendor API to delete images"
        ),
    )


def _error_codes(resp: requests.Response) -> tuple[list[str], str]:
    try:
        data = json.loads(resp.content[:65536] or b"{}")
    except (ValueError, requests.RequestException):
        return [], ""
    errs = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errs, list):
        return [], ""
    codes = [str(e.get("code", "")) for e in errs if isinstance(e, dict) and e.get("code")]
    msgs = [str(e.get("message", "")) for e in errs if isinstance(e, dict) and e.get("message")]
    return codes, "; ".join(msgs)[:300]


def _read_limited(resp: requests.Response, limit: int, what: str) -> bytes:
    buf = bytearray()
    for chunk in resp.iter_content(65536):
        buf.extend(chunk)
        if len(buf) > limit:
            raise E.ProtocolError(f"{what} is larger than {limit} bytes; refusing to read it into memory")
    return bytes(buf)


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
