"""A reusable retry policy: exponential backoff with full jitter, honouring ``Retry-After``.

::

    policy = RetryPolicy(attempts=5, base=0.5, cap=30)
    response = policy.call(lambda: session.get(url))   # retries 5xx/429 responses and dropped connections

``fn`` may return a value (a ``requests.Response`` is classified: 429/5xx are retried and, when attempts run
out, the last response is returned for the caller to turn into an error) or raise (retryable exceptions are
retried, then the last one is re-raised). Authentication and other 4xx errors are never retried.
``classify(outcome)`` is public so other code (the push path) can make the same decision on its own outcomes.
"""

from __future__ import annotations

import email.utils
import errno
import logging
import random
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import requests

__all__ = ["Decision", "RetryPolicy", "RetryableError", "classify", "parse_retry_after"]

T = TypeVar("T")
log = logging.getLogger("dockgen.registry.retry")

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
"""HTTP statuses worth another try. (501 Not Implemented and the other 4xx are final.)"""


class RetryableError(Exception):
    """Raise from inside ``fn`` to ask for another attempt (``retry_after`` in seconds, if known)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Decision:
    """What :func:`classify` concluded: retry or not, why, and how long the server asked us to wait."""

    retry: bool
    reason: str
    retry_after: float | None = None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date. ``None`` when absent or unparseable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


_TRANSIENT_ERRNOS = frozenset(
    {
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EPIPE,
        errno.ETIMEDOUT,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
    }
)


def _walk(exc: BaseException) -> list[BaseException]:
    """The exception and its causes/contexts/urllib3 ``reason``s (requests wraps several levels deep)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen) or len(seen) > 20:
            continue
        seen.append(e)
        todo.extend([e.__cause__, e.__context__])
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
        for arg in getattr(e, "args", ()):
            if isinstance(arg, BaseException):
                todo.append(arg)
    return seen


def classify(outcome: BaseException | requests.Response) -> Decision:
    """Decide whether an outcome (a response or an exception) is worth retrying.

    Retried: HTTP 408/425/429/500/502/503/504 (with ``Retry-After`` honoured), dropped or reset connections,
    read/connect timeouts, :class:`RetryableError`, and ``dockgen`` registry errors marked transient.
    Never retried: 401/403 and other 4xx, TLS verification failures, unknown hosts, refused connections
    (a registry that is down stays down for the seconds a retry waits; fail fast with a clear message).
    """
    if isinstance(outcome, requests.Response):
        status = outcome.status_code
        if status in RETRY_STATUSES:
            return Decision(True, f"HTTP {status}", parse_retry_after(outcome.headers.get("Retry-After")))
        return Decision(False, f"HTTP {status}")
    if isinstance(outcome, RetryableError):
        return Decision(True, str(outcome), outcome.retry_after)
    from dockgen.registry import errors as regerr  # local import: errors imports nothing from here

    if isinstance(outcome, regerr.RateLimitedError):
        return Decision(True, "rate limited", outcome.retry_after)
    if isinstance(outcome, regerr.ServerError):
        return Decision(outcome.status in RETRY_STATUSES, f"HTTP {outcome.status}")
    if isinstance(outcome, regerr.RegistryTimeoutError):
        return Decision(True, "timeout")
    if isinstance(
        outcome,
        (regerr.TLSError, regerr.UnknownHostError, regerr.ConnectionRefusedToRegistryError),
    ):
        return Decision(False, type(outcome).__name__)
    if isinstance(outcome, regerr.RegistryConnectionError):
        return Decision(True, "connection dropped")
    chain = _walk(outcome)
    for e in chain:
        if isinstance(e, ssl.SSLCertVerificationError | requests.exceptions.SSLError):
            return Decision(False, "TLS failure")
        if isinstance(e, socket.gaierror):
            return Decision(False, "unknown host")
        if isinstance(e, ConnectionRefusedError):
            return Decision(False, "connection refused")
    for e in chain:
        if isinstance(e, requests.Timeout | TimeoutError | socket.timeout):
            return Decision(True, "timeout")
        if isinstance(e, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
            return Decision(True, "connection reset")
        if isinstance(e, OSError) and e.errno in _TRANSIENT_ERRNOS:
            return Decision(True, f"connection error ({errno.errorcode.get(e.errno or 0, e.errno)})")
        if isinstance(e, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
            return Decision(True, "truncated response")
    for e in chain:
        name = type(e).__name__
        if name in {
            "RemoteDisconnected",
            "ProtocolError",
            "IncompleteRead",
            "NewConnectionError",
        } or isinstance(e, requests.ConnectionError):
            if name == "NewConnectionError":
                return Decision(False, "cannot connect")
            return Decision(True, "connection dropped")
    return Decision(False, type(outcome).__name__)


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter: the n-th retry waits ``uniform(0, min(cap, base * 2**n))``.

    A ``Retry-After`` from the server replaces the jittered delay (capped at ``max_retry_after``).
    ``attempts`` counts every try, the first included (``attempts=1`` never retries).
    ``sleep`` and ``rng`` are injectable so callers (and tests) can observe or speed up the waits.
    """

    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rng: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be >= 1")
        if self.base < 0 or self.cap < 0:
            raise ValueError("base and cap must be >= 0")

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_retry_after)
        return float(self.rng() * min(self.cap, self.base * 2.0**retry))

    def call(
        self,
        fn: Callable[[], T],
        *,
        classify: Callable[[BaseException | requests.Response], Decision] = classify,
        on_retry: Callable[[int, Decision, float], None] | None = None,
    ) -> T:
        """Run ``fn`` until it succeeds, gives a final answer, or attempts run out.

        ``on_retry(attempt, decision, delay)`` is called before each wait (e.g. to print progress).
        """
        for attempt in range(self.attempts):
            last = attempt == self.attempts - 1
            try:
                result = fn()
            except Exception as exc:
                decision = classify(exc)
                if last or not decision.retry:
                    raise
            else:
                if not isinstance(result, requests.Response):
                    return result
                decision = classify(result)
                if last or not decision.retry:
                    return result
                result.close()
            wait = self.delay(attempt, decision.retry_after)
            log.debug(
                "retrying in %.2fs after %s (attempt %d/%d)",
                wait,
                decision.reason,
                attempt + 1,
                self.attempts,
            )
            if on_retry is not None:
                on_retry(attempt + 1, decision, wait)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


NO_RETRY = RetryPolicy(attempts=1)
