"""The retry policy: pure timing rules, then real faults injected by a proxy in front of a real registry."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from dockgen.registry import (
    ConnectionRefusedToRegistryError,
    RegistryClient,
    RetryPolicy,
    ServerError,
    UnauthorizedError,
    classify,
)
from dockgen.registry.retry import RetryableError, parse_retry_after
from tests.support.faults import Fault, FaultProxy

# --------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("retry", "rng", "expected"),
    [(0, 1.0, 0.5), (1, 1.0, 1.0), (3, 1.0, 4.0), (10, 1.0, 30.0), (3, 0.25, 1.0), (5, 0.0, 0.0)],
    ids=["first", "second", "fourth", "capped", "jitter-quarter", "jitter-zero"],
)
def test_backoff_is_exponential_with_full_jitter_and_a_cap(retry: int, rng: float, expected: float) -> None:
    policy = RetryPolicy(attempts=5, base=0.5, cap=30, rng=lambda: rng)
    assert policy.delay(retry) == pytest.approx(expected)


def test_retry_after_replaces_the_jittered_delay_but_is_capped() -> None:
    policy = RetryPolicy(max_retry_after=10, rng=lambda: 1.0)
    assert policy.delay(0, retry_after=3) == 3
    assert policy.delay(0, retry_after=3600) == 10


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7.0), ("0", 0.0), (None, None), ("soon", None), ("", None)],
    ids=["seconds", "zero", "absent", "garbage", "empty"],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    when = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert parse_retry_after(when, now=now.timestamp()) == pytest.approx(42)


def test_call_stops_at_attempts_and_reraises_the_last_error() -> None:
    calls: list[int] = []
    waits: list[float] = []

    def boom() -> None:
        calls.append(1)
        raise RetryableError("flaky", retry_after=0.0)

    policy = RetryPolicy(attempts=3, sleep=waits.append)
    with pytest.raises(RetryableError):
        policy.call(boom)
    assert len(calls) == 3 and waits == [0.0, 0.0]


def test_call_does_not_retry_final_errors() -> None:
    calls: list[int] = []

    def bad() -> None:
        calls.append(1)
        raise ValueError("not transient")

    with pytest.raises(ValueError):
        RetryPolicy(attempts=5, sleep=lambda s: None).call(bad)
    assert calls == [1]


def test_on_retry_reports_each_wait() -> None:
    seen: list[tuple[int, str, float]] = []
    outcomes = iter([RetryableError("a", retry_after=1), RetryableError("b", retry_after=2), None])

    def fn() -> str:
        o = next(outcomes)
        if o is not None:
            raise o
        return "ok"

    out = RetryPolicy(attempts=5, sleep=lambda s: None).call(
        fn, on_retry=lambda n, d, w: seen.append((n, d.reason, w))
    )
    assert out == "ok" and seen == [(1, "a", 1.0), (2, "b", 2.0)]


def test_invalid_policy_is_rejected() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_classify_real_transport_failures() -> None:
    port = _free_port()  # nothing listens there
    with pytest.raises(requests.ConnectionError) as refused:
        requests.get(f"http://127.0.0.1:{port}/", timeout=5)
    assert classify(refused.value).retry is False  # fail fast: a down registry stays down
    with pytest.raises(requests.ConnectionError) as unknown:
        requests.get("http://no-such-host.invalid/", timeout=5)
    assert classify(unknown.value).retry is False
    assert classify(RetryableError("x")).retry is True
    assert classify(ValueError()).retry is False


# --------------------------------------------------------------------------- real faults through the proxy


@pytest.fixture
def proxy(plain_registry) -> Iterator[FaultProxy]:  # type: ignore[no-untyped-def]
    with FaultProxy(plain_registry.url) as p:
        yield p


def _client(
    proxy: FaultProxy,
    *,
    attempts: int = 5,
    timeout: float | tuple[float, float] = (5, 30),
    sleeps: list[float] | None = None,
) -> RegistryClient:
    def sleep(s: float) -> None:
        if sleeps is not None:
            sleeps.append(s)
        time.sleep(min(s, 2.0))

    return RegistryClient(
        proxy.addr, retry=RetryPolicy(attempts=attempts, base=0.01, cap=0.05, sleep=sleep), timeout=timeout
    )


def _seed(client: RegistryClient, repo: str) -> str:
    from dockgen.registry import mediatypes as mt

    cfg = client.upload_blob(repo, b'{"architecture":"amd64","os":"linux"}', media_type=mt.OCI_CONFIG)
    doc = (
        f'{{"schemaVersion":2,"mediaType":"{mt.OCI_MANIFEST}","config":{{"mediaType":"{mt.OCI_CONFIG}",'
        f'"digest":"{cfg.digest}","size":{cfg.size}}},"layers":[]}}'
    )
    return client.put_manifest(repo, "v1", doc.encode(), mt.OCI_MANIFEST)


@pytest.mark.registry
def test_three_500s_then_success(proxy: FaultProxy, plain_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    repo = plain_registry.repo()
    with _client(proxy) as c:
        _seed(c, repo)
        proxy.clear()
        proxy.script(Fault.status(500, times=3, path="/tags/list"))
        assert c.list_tags(repo) == ["v1"]
    outcomes = [r.outcome for r in proxy.records(path="/tags/list")]
    assert outcomes == ["status 500", "status 500", "status 500", "forwarded 200"]


@pytest.mark.registry
def test_persistent_500s_give_a_server_error_after_all_attempts(
    proxy: FaultProxy, plain_registry, docker_config
) -> None:  # type: ignore[no-untyped-def]
    repo = plain_registry.repo()
    with _client(proxy, attempts=3) as c:
        _seed(c, repo)
        proxy.clear()
        proxy.script(Fault.status(503, times=10, path="/tags/list"))
        with pytest.raises(ServerError) as err:
            c.list_tags(repo)
    assert "HTTP 503" in str(err.value)
    assert proxy.count(path="/tags/list") == 3


@pytest.mark.registry
def test_429_retry_after_is_honoured(proxy: FaultProxy, plain_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    repo = plain_registry.repo()
    sleeps: list[float] = []
    with _client(proxy, sleeps=sleeps) as c:
        digest = _seed(c, repo)
        proxy.clear()
        sleeps.clear()
        proxy.script(Fault.status(429, retry_after=1, path="/manifests/v1"))
        start = time.monotonic()
        assert c.resolve(repo, "v1") == digest
        elapsed = time.monotonic() - start
    assert sleeps == [1.0]
    assert elapsed >= 1.0
    assert [r.outcome for r in proxy.records(path="/manifests/")] == ["status 429", "forwarded 200"]


@pytest.mark.registry
def test_connection_reset_and_drop_are_retried(proxy: FaultProxy, plain_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    repo = plain_registry.repo()
    with _client(proxy) as c:
        digest = _seed(c, repo)
        proxy.clear()
        proxy.script(
            Fault.reset(method="GET", path="/manifests/"), Fault.drop(method="GET", path="/manifests/")
        )
        assert c.get_manifest(repo, "v1").digest == digest
    assert [r.outcome for r in proxy.records(path="/manifests/")] == ["reset", "drop", "forwarded 200"]


@pytest.mark.registry
def test_a_stalled_response_times_out_and_is_retried(
    proxy: FaultProxy, plain_registry, docker_config
) -> None:  # type: ignore[no-untyped-def]
    repo = plain_registry.repo()
    with _client(proxy, timeout=(5, 0.5)) as c:
        digest = _seed(c, repo)
        proxy.clear()
        proxy.script(Fault.stall(1.5, path="/manifests/v1"))
        assert c.resolve(repo, "v1") == digest
    assert proxy.count(path="/manifests/v1") == 2


@pytest.mark.registry
def test_blob_upload_survives_a_failing_put(proxy: FaultProxy, plain_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    repo = plain_registry.repo()
    data = b"payload " * 5000
    with _client(proxy) as c:
        proxy.script(
            Fault.status(500, method="PUT", path="/blobs/uploads/"),
            Fault.reset(method="PATCH", path="/blobs/uploads/"),
        )
        c.upload_blob(repo, data)
        c.upload_blob(repo + "-chunked", data, chunk_size=8192)
        assert c.get_blob(repo, "sha256:" + __import__("hashlib").sha256(data).hexdigest()) == data
    assert proxy.pending == 0
    assert (
        proxy.count(method="POST", path="/blobs/uploads/") >= 4
    )  # each failed attempt started a fresh session


@pytest.mark.registry
def test_auth_and_other_4xx_are_never_retried(proxy: FaultProxy, plain_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    repo = plain_registry.repo()
    with _client(proxy) as c:
        _seed(c, repo)
        proxy.clear()
        proxy.script(Fault.status(401, times=5, path="/tags/list"))
        with pytest.raises(UnauthorizedError):
            c.list_tags(repo)
    assert proxy.count(path="/tags/list") == 1


def test_connection_refused_fails_fast_with_a_clear_message(docker_config) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    waits: list[float] = []
    with (
        RegistryClient(f"127.0.0.1:{port}", retry=RetryPolicy(sleep=waits.append)) as c,
        pytest.raises(ConnectionRefusedToRegistryError) as err,
    ):
        c.probe()
    assert f"127.0.0.1:{port} refused" in str(err.value)
    assert waits == []
