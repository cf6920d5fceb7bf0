"""A fault-injecting HTTP proxy on loopback, for testing retries against a real registry.

The proxy forwards every request to a real upstream (a ``docker-registry`` process) unless a scripted fault
matches it first. Faults are consumed in order, each by the first request that matches it::

    with FaultProxy("http://127.0.0.1:5000") as proxy:
        proxy.script(
            Fault.status(500, times=3),                       # the next three requests get HTTP 500
            Fault.status(429, retry_after=1, path="/manifests/"),
            Fault.reset(method="PUT"),                        # RST the connection of the next PUT
            Fault.stall(2.0),                                 # hold the next request 2 s, then forward it
            Fault.drop(),                                     # close without answering
        )
        client = RegistryClient(proxy.addr, ...)              # talk to the proxy instead of the registry
        ...
        assert proxy.count(method="GET", path="/tags/list") == 4

``proxy.log`` records every request (method, path, what happened). The upstream's own ``Location`` and ``Link``
headers point back at the proxy because the ``Host`` header is forwarded unchanged. The proxy only ever listens
on and talks to loopback addresses.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

__all__ = ["Fault", "FaultProxy", "Record"]

_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}


@dataclass
class Fault:
    """One scripted misbehaviour. ``kind``: ``status``, ``reset``, ``drop``, ``stall`` (then forward)."""

    kind: str
    code: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0
    times: int = 1
    method: str | None = None
    path: str | None = None
    """A regular expression searched in the request path (with query)."""

    @classmethod
    def status(
        cls,
        code: int,
        *,
        times: int = 1,
        retry_after: float | str | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Answer with ``code`` (and an OCI-style error body) instead of forwarding."""
        h = dict(headers or {})
        if retry_after is not None:
            h["Retry-After"] = str(int(retry_after)) if isinstance(retry_after, int | float) else retry_after
        if body is None:
            code_name = {429: "TOOMANYREQUESTS", 401: "UNAUTHORIZED", 403: "DENIED"}.get(code, "UNKNOWN")
            body = json.dumps({"errors": [{"code": code_name, "message": "injected fault"}]}).encode()
            h.setdefault("Content-Type", "application/json")
        return cls("status", code=code, headers=h, body=body, times=times, method=method, path=path)

    @classmethod
    def reset(cls, *, times: int = 1, method: str | None = None, path: str | None = None) -> Fault:
        """Read the request, then reset the TCP connection (RST) without answering."""
        return cls("reset", times=times, method=method, path=path)

    @classmethod
    def drop(cls, *, times: int = 1, method: str | None = None, path: str | None = None) -> Fault:
        """Read the request, then close the connection cleanly without answering."""
        return cls("drop", times=times, method=method, path=path)

    @classmethod
    def stall(
        cls, seconds: float, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> Fault:
        """Hold the request for ``seconds`` before forwarding it (exercise client read timeouts)."""
        return cls("stall", seconds=seconds, times=times, method=method, path=path)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None


@dataclass(frozen=True)
class Record:
    method: str
    path: str
    outcome: str
    """``forwarded <status>``, ``status <code>``, ``reset``, ``drop``, or ``stall <seconds>s`` (recorded on arrival)."""
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: FaultProxy


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _handle(self) -> None:
        proxy = self.server.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        fault = proxy._take(self.command, self.path)
        if fault is None:
            self._forward(body, "forwarded")
            return
        if fault.kind == "status":
            proxy._record(self.command, self.path, f"status {fault.code}")
            self.send_response(fault.code)
            for k, v in fault.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(fault.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(fault.body)
            return
        if fault.kind == "reset":
            proxy._record(self.command, self.path, "reset")
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if fault.kind == "drop":
            proxy._record(self.command, self.path, "drop")
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault.kind == "stall":
            proxy._record(self.command, self.path, f"stall {fault.seconds:g}s")
            proxy._stop.wait(fault.seconds)
            self._forward(body, None)
            return
        raise ValueError(f"unknown fault kind {fault.kind!r}")

    def _read_chunked(self) -> bytes:
        out = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return bytes(out)
            out.extend(self.rfile.read(size))
            self.rfile.readline()

    def _forward(self, body: bytes, label: str | None) -> None:
        """Forward to the upstream; the record is written before the client sees the answer (no races)."""
        proxy = self.server.proxy
        conn = proxy._upstream_connection()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["Content-Length"] = str(len(body))
        try:
            conn.request(
                self.command,
                self.path,
                body=body if body or self.command not in ("GET", "HEAD") else None,
                headers=headers,
            )
            resp = conn.getresponse()
            data = resp.read()
        except OSError:
            if label:
                proxy._record(self.command, self.path, f"{label} 502")
            self.send_error(502, "upstream unreachable")
            return
        finally:
            conn.close()
        if label:
            proxy._record(self.command, self.path, f"{label} {resp.status}")
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in _HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        if self.command == "HEAD":
            self.send_header("Content-Length", resp.getheader("Content-Length") or "0")
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class FaultProxy:
    """A threaded HTTP proxy on ``127.0.0.1:<free port>`` in front of ``upstream`` (``http(s)://127.0.0.1:P``)."""

    def __init__(self, upstream: str, *, upstream_ca: str | None = None, host: str = "127.0.0.1") -> None:
        parts = urlsplit(upstream if "://" in upstream else f"http://{upstream}")
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("FaultProxy only forwards to loopback upstreams")
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("FaultProxy only listens on loopback")
        self._scheme = parts.scheme
        self._up_host = parts.hostname or "127.0.0.1"
        self._up_port = parts.port or (443 if parts.scheme == "https" else 80)
        self._ctx = ssl.create_default_context(cafile=upstream_ca) if parts.scheme == "https" else None
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.log: list[Record] = []
        self._server = _Server((host, 0), _Handler)
        self._server.proxy = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def addr(self) -> str:
        """``127.0.0.1:<port>``: use it as the registry host."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.addr}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting

    def script(self, *faults: Fault) -> None:
        """Append faults to the queue (each consumed ``times`` times by matching requests, in order)."""
        with self._lock:
            self._faults.extend(Fault(**{**f.__dict__}) for f in faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.log.clear()

    @property
    def pending(self) -> int:
        """Fault uses not yet consumed."""
        with self._lock:
            return sum(f.times for f in self._faults)

    def _take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for f in self._faults:
                if f.matches(method, path):
                    f.times -= 1
                    if f.times <= 0:
                        self._faults.remove(f)
                    return f
        return None

    def _record(self, method: str, path: str, outcome: str) -> None:
        with self._lock:
            self.log.append(Record(method, path, outcome, time.monotonic()))

    def records(self, *, method: str | None = None, path: str | None = None) -> Iterator[Record]:
        with self._lock:
            items = list(self.log)
        for r in items:
            if method is not None and r.method != method.upper():
                continue
            if path is not None and re.search(path, r.path) is None:
                continue
            yield r

    def count(self, *, method: str | None = None, path: str | None = None) -> int:
        return sum(1 for _ in self.records(method=method, path=path))

    def _upstream_connection(self) -> http.client.HTTPConnection:
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._up_host, self._up_port, timeout=30, context=self._ctx)
        return http.client.HTTPConnection(self._up_host, self._up_port, timeout=30)
