"""Where the local test infrastructure lives, and checks that tests use to require it.

``scripts/infra.sh`` installs and starts a Docker engine and three registries on loopback; this module
holds their addresses and credentials and answers "is it up?" without mocking anything.

A test that needs a piece calls ``require_engine()``, ``require_buildx()`` or ``require_registry(addr)``
first. When the piece is missing the test is skipped with a hint to run ``scripts/infra.sh`` -- unless
``DOCKGEN_REQUIRE_INFRA=1`` is set (CI sets it), in which case the test fails instead, so a broken
infrastructure can never turn the suite green by skipping.
"""

from __future__ import annotations

import functools
import http.client
import os
import socket
import ssl
import subprocess
import time
import uuid
from pathlib import Path
from typing import NoReturn

import pytest

PLAIN_REGISTRY = "127.0.0.1:5000"
"""Plain HTTP registry, deletes enabled: the main registry for push/pull/prune tests."""
MIRROR_REGISTRY = "127.0.0.1:5001"
"""Plain HTTP registry the engine uses as its Docker Hub mirror; holds the seeded base images."""
AUTH_REGISTRY = "127.0.0.1:5443"
"""HTTPS registry (certificate signed by ``CA_CERT``) with htpasswd basic auth, deletes enabled."""
REGISTRIES = (PLAIN_REGISTRY, MIRROR_REGISTRY, AUTH_REGISTRY)

AUTH_USER = "dockgen"
AUTH_PASSWORD = "dockgen-test-password"  # a fixed test credential for a loopback-only registry

STATE_DIR = Path(os.environ.get("DOCKGEN_INFRA_STATE", "/var/lib/dockgen-infra"))
CA_CERT = STATE_DIR / "tls" / "ca.crt"
"""The test CA that signed the certificate of ``AUTH_REGISTRY`` (also trusted by the engine)."""

BASE_IMAGES = ("debian:bookworm", "debian:bookworm-slim", "busybox:latest", "busybox:1.35")
"""Docker Hub names that resolve offline through the mirror. Only busybox is multi-platform
(linux/amd64 + linux/arm64); debian is linux/amd64 only."""
MULTI_PLATFORM_BASE = "busybox:latest"

BUILDKIT_REMOTE = "dockgen-remote"
"""buildx ``remote`` builder on a standalone buildkitd (127.0.0.1:1234, mTLS), made by scripts/infra.sh."""
BUILDKIT_MULTINODE = "dockgen-multinode"
"""Two ``remote`` nodes: linux/amd64 on 127.0.0.1:1234, linux/arm64 on a second daemon (127.0.0.1:1235)."""
BUILDKIT_CONTAINER = "dockgen-container"
"""``docker-container`` builder running a locally assembled BuildKit image (network=host)."""
BUILDKIT_BUILDERS = (BUILDKIT_REMOTE, BUILDKIT_MULTINODE, BUILDKIT_CONTAINER)

REQUIRE_ENV = "DOCKGEN_REQUIRE_INFRA"
HINT = "run scripts/infra.sh (as root) to install and start the local Docker engine and registries"


def _host_port(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    return host, int(port)


def wait_for_port(host: str, port: int, timeout: float = 10.0) -> bool:
    """Return True as soon as a TCP connection to host:port succeeds, False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=1.0):
                return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def _docker_socket() -> str:
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    return host.removeprefix("unix://") if host.startswith("unix://") else ""


def engine_available() -> bool:
    """True when the Docker engine answers ``GET /_ping`` on its unix socket."""
    path = _docker_socket()
    if not path:
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5.0)
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            reply = sock.recv(4096)
    except OSError:
        return False
    status_line = reply.split(b"\r\n", 1)[0].split()
    return len(status_line) >= 2 and status_line[0].startswith(b"HTTP/") and status_line[1] == b"200"


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)


@functools.cache
def _buildx_ok() -> bool:
    try:
        if _run("docker", "buildx", "version").returncode != 0:
            return False
        info = _run("docker", "info", "--format", "{{json .DriverStatus}}")
    except (OSError, subprocess.TimeoutExpired):
        return False
    # multi-platform images and index pushes need the containerd image store
    return info.returncode == 0 and "io.containerd.snapshotter" in info.stdout


def buildx_available() -> bool:
    """True when the engine is up, ``docker buildx`` works and the containerd image store is active."""
    return engine_available() and _buildx_ok()


def ssl_context() -> ssl.SSLContext:
    """An SSL context that trusts the test CA (for talking to ``AUTH_REGISTRY``)."""
    return ssl.create_default_context(cafile=str(CA_CERT))


def registry_url(addr: str) -> str:
    """Base URL of one of the local registries (https only for ``AUTH_REGISTRY``)."""
    return f"{'https' if addr == AUTH_REGISTRY else 'http'}://{addr}"


def registry_status(addr: str, path: str = "/v2/", headers: dict[str, str] | None = None) -> int:
    """HTTP status of ``GET path`` on a local registry; raises OSError when nothing answers."""
    host, port = _host_port(addr)
    conn: http.client.HTTPConnection
    if addr == AUTH_REGISTRY:
        conn = http.client.HTTPSConnection(host, port, timeout=5.0, context=ssl_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=5.0)
    try:
        conn.request("GET", path, headers=headers or {})
        return conn.getresponse().status
    finally:
        conn.close()


def registry_up(addr: str) -> bool:
    """True when the registry speaks the v2 API: 200 on ``/v2/``, or 401 where auth is required."""
    try:
        return registry_status(addr) in (200, 401)
    except (OSError, ssl.SSLError):
        return False


def unique_repo(prefix: str = "test") -> str:
    """A repository name no other test (or earlier run) uses, e.g. ``test/ab12cd34ef``."""
    return f"{prefix}/{uuid.uuid4().hex[:10]}"


def _missing(what: str) -> NoReturn:
    message = f"{what} is not available: {HINT}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_ENV}=1 forbids skipping)", pytrace=False)
    pytest.skip(message)


def require_engine() -> None:
    """Skip (or fail, under DOCKGEN_REQUIRE_INFRA=1) unless the Docker engine answers."""
    if not engine_available():
        _missing("the Docker engine")


def require_buildx() -> None:
    """Skip (or fail, under DOCKGEN_REQUIRE_INFRA=1) unless buildx with the containerd store works."""
    if not buildx_available():
        _missing("docker buildx with the containerd image store")


def require_registry(addr: str = PLAIN_REGISTRY) -> None:
    """Skip (or fail, under DOCKGEN_REQUIRE_INFRA=1) unless the registry at ``addr`` answers."""
    if not registry_up(addr):
        _missing(f"the registry at {addr}")


def buildkit_dir() -> Path | None:
    """Where the static ``buildkitd``/``buildctl`` live: ``$DOCKGEN_BUILDKIT_DIR``, else the first
    ``shared/tools/buildkit`` next to the repository or one of its parents (as scripts/infra.sh looks)."""
    env = os.environ.get("DOCKGEN_BUILDKIT_DIR")
    if env:
        return Path(env) if (Path(env) / "buildkitd").exists() else None
    for parent in Path(__file__).resolve().parents[2].parents:
        candidate = parent / "shared" / "tools" / "buildkit"
        if (candidate / "buildkitd").exists():
            return candidate
    return None


@functools.cache
def _builder_running(name: str) -> bool:
    try:
        out = subprocess.run(
            ["docker", "buildx", "inspect", "--bootstrap", name],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    statuses = [
        line.split(":", 1)[1].strip() for line in out.stdout.splitlines() if line.startswith("Status:")
    ]
    return out.returncode == 0 and bool(statuses) and all(s == "running" for s in statuses)


def require_buildkit_builder(name: str) -> None:
    """Skip when the BuildKit binaries are absent (nothing can start the daemons); otherwise the builder
    must be running: skip (or fail, under DOCKGEN_REQUIRE_INFRA=1) with a hint to run scripts/infra.sh."""
    if buildkit_dir() is None:
        pytest.skip(
            "buildkitd/buildctl not found (set DOCKGEN_BUILDKIT_DIR, or put them in ../shared/tools/buildkit); "
            "scripts/infra.sh starts the BuildKit builders only when they are there"
        )
    require_buildx()
    if not _builder_running(name):
        _missing(f"the buildx builder {name}")
