"""The transport under the registry client: the session, TLS and plain-HTTP choice, the auth challenge and
bearer tokens, requests with retries, and turning HTTP answers into :mod:`dockgen.registry.errors`.

:class:`RegistryTransport` is the base of :class:`dockgen.registry.client.RegistryClient`; the operations live in
:mod:`~dockgen.registry.manifests`, :mod:`~dockgen.registry.blobs` and :mod:`~dockgen.registry.referrers`.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import ssl
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import requests

from dockgen.reference import (
    Reference,
    api_host,
    normalize_registry,
    parse_reference,
)
from dockgen.registry import credentials as _credentials
from dockgen.registry import errors as E
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
from dockgen.registry.retry import RetryPolicy

__all__ = ["DEFAULT_TIMEOUT", "RegistryTransport", "is_loopback"]


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


class RegistryTransport:
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
    ) -> Self:
        """A client for the registry a reference lives on (``docker.io`` -> ``registry-1.docker.io``)."""
        r = parse_reference(ref) if isinstance(ref, str) else ref
        return cls(r.registry, credentials=credentials, insecure=insecure, **kwargs)

    def __repr__(self) -> str:
        who = "anonymous" if self.anonymous else (self._creds.username if self._creds else "auto")
        return f"RegistryClient({self.registry!r}, url={self._base!r}, user={who!r})"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Self:
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

    # ------------------------------------------------------------------ deletes

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
