"""Registry authentication: ``WWW-Authenticate`` challenges, Bearer tokens (cached per scope) and Basic auth.

The flow (distribution token spec): a request gets ``401`` with ``WWW-Authenticate: Bearer realm=...,
service=...,scope=...``; we ask the realm for a token for those scopes (anonymously, with Basic credentials, or
with an identity token through the OAuth2 refresh-token grant), cache it until it expires, and resend with
``Authorization: Bearer <token>``. A ``Basic`` challenge is answered with the username and password.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import requests

from dockgen.registry.credentials import Credentials

__all__ = ["Challenge", "TokenCache", "basic_header", "parse_challenges", "scope_for"]

_PARAM_RE = re.compile(r'\s*([a-zA-Z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*,?')


@dataclass(frozen=True)
class Challenge:
    """One ``WWW-Authenticate`` challenge: scheme (lowercased) and its parameters."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def realm(self) -> str | None:
        return self.params.get("realm")

    @property
    def service(self) -> str | None:
        return self.params.get("service")

    @property
    def scopes(self) -> list[str]:
        s = self.params.get("scope")
        return s.split(" ") if s else []


def parse_challenges(header: str | None) -> list[Challenge]:
    """Parse ``WWW-Authenticate`` (possibly several challenges: ``Bearer realm="..",scope="..", Basic realm=".."``)."""
    if not header:
        return []
    out: list[Challenge] = []
    pos = 0
    text = header.strip()
    scheme_re = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)")
    while pos < len(text):
        m = scheme_re.match(text, pos)
        if not m:
            break
        scheme = m.group(1).lower()
        pos = m.end()
        params: dict[str, str] = {}
        while pos < len(text):
            pm = _PARAM_RE.match(text, pos)
            if not pm:
                break
            value = pm.group(2) if pm.group(2) is not None else pm.group(3)
            params[pm.group(1).lower()] = re.sub(r"\\(.)", r"\1", value)
            pos = pm.end()
        out.append(Challenge(scheme, params))
        while pos < len(text) and text[pos] in ", ":
            pos += 1
    return out


def scope_for(repository: str, actions: Iterable[str]) -> str:
    """``repository:<name>:<actions>`` (actions comma-joined in a stable order)."""
    order = {"pull": 0, "push": 1, "delete": 2, "*": 3}
    acts = sorted(set(actions), key=lambda a: (order.get(a, 9), a))
    return f"repository:{repository}:{','.join(acts)}"


def basic_header(creds: Credentials) -> str:
    raw = f"{creds.username}:{creds.password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


@dataclass
class _Token:
    value: str = field(repr=False)
    expires: float


class TokenCache:
    """Bearer tokens keyed by (realm, service, scopes). Thread-safe; tokens expire 10 s early."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str, tuple[str, ...]], _Token] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenCache({len(self._tokens)} tokens)"

    @staticmethod
    def key(realm: str, service: str, scopes: Iterable[str]) -> tuple[str, str, tuple[str, ...]]:
        return realm, service, tuple(sorted(set(scopes)))

    def get(self, key: tuple[str, str, tuple[str, ...]]) -> str | None:
        with self._lock:
            tok = self._tokens.get(key)
            if tok is None or tok.expires <= time.monotonic():
                self._tokens.pop(key, None)
                return None
            return tok.value

    def put(self, key: tuple[str, str, tuple[str, ...]], value: str, expires_in: float) -> None:
        with self._lock:
            self._tokens[key] = _Token(value, time.monotonic() + max(0.0, expires_in - 10.0))

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


class TokenRejected(Exception):
    """The token endpoint answered 401/403: the credentials are wrong (message carries no secret)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"token endpoint answered HTTP {status}")
        self.status = status


def fetch_token(
    session: requests.Session,
    challenge: Challenge,
    scopes: list[str],
    creds: Credentials | None,
    *,
    timeout: float | tuple[float, float],
    client_id: str = "dockgen",
) -> tuple[str, float]:
    """Get a Bearer token for ``scopes`` from the challenge's realm. Returns (token, expires_in seconds).

    Raises :class:`TokenRejected` on 401/403 and ``requests`` exceptions on transport errors; a malformed
    answer raises ``ValueError``. Anonymous when ``creds`` is None.
    """
    realm = challenge.realm
    if not realm:
        raise ValueError("Bearer challenge without realm")
    service = challenge.service
    if creds is not None and creds.identity_token:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": creds.identity_token,
            "client_id": client_id,
            "access_type": "offline",
        }
        if service:
            form["service"] = service
        if scopes:
            form["scope"] = " ".join(scopes)
        resp = session.post(realm, data=form, timeout=timeout)
    else:
        params: list[tuple[str, str]] = []
        if service:
            params.append(("service", service))
        params.extend(("scope", s) for s in scopes)
        if creds is not None:
            params.append(("account", creds.username))
        headers = {"Authorization": basic_header(creds)} if creds is not None else {}
        resp = session.get(realm, params=params, headers=headers, timeout=timeout)
    with resp:
        if resp.status_code in (401, 403):
            raise TokenRejected(resp.status_code)
        if resp.status_code >= 500 or resp.status_code == 429:
            resp.raise_for_status()
        if resp.status_code != 200:
            raise ValueError(f"token endpoint answered HTTP {resp.status_code}")
        data = resp.json()
    if not isinstance(data, dict):
        raise ValueError("token endpoint answered JSON that is not an object")
    token = data.get("token") or data.get("access_token")
    if not isinstance(token, str) or not token:
        raise ValueError("token endpoint answered without a token")
    expires_in = data.get("expires_in")
    return token, float(expires_in) if isinstance(expires_in, int | float) and expires_in > 0 else 60.0
