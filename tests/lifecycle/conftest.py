"""Fixtures for the lifecycle tests: a client on the shared plain registry (unique repositories per test), a
private ``docker-registry`` with deletes disabled (the 405/UNSUPPORTED path) and a local BuildKit SBOM generator
image (``sbom_generator/``) pushed to the plain registry, so SBOM attestations work without Docker Hub."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockgen.registry import RegistryClient
from dockgen.registry import errors as registry_errors
from tests.support.infra import PLAIN_REGISTRY, REQUIRE_ENV, require_buildx, require_registry, unique_repo

DATA = Path(__file__).parent / "data"
SBOM_GENERATOR_DIR = Path(__file__).parent / "sbom_generator"
SBOM_GENERATOR_REPO = "dockgen-test/sbom-generator"
SBOM_GENERATOR_PLATFORMS = "linux/amd64,linux/arm64"


@pytest.fixture
def client() -> Iterator[RegistryClient]:
    require_registry(PLAIN_REGISTRY)
    with RegistryClient(PLAIN_REGISTRY) as c:
        yield c


@pytest.fixture
def repo() -> str:
    return unique_repo("lifecycle")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def nodelete_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``127.0.0.1:<port>`` of a private distribution registry with ``storage.delete.enabled: false``."""
    binary = shutil.which("docker-registry")
    if binary is None:
        msg = "docker-registry is not installed (scripts/infra.sh installs it)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    assert binary is not None
    root = tmp_path_factory.mktemp("nodelete-registry")
    port = _free_port()
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n  delete:\n    enabled: false\n"
        f"http:\n  addr: 127.0.0.1:{port}\n  secret: {secrets.token_hex(16)}\n"
    )
    with open(root / "registry.log", "wb") as log:
        proc = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=2).close()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((root / "registry.log").read_text()[-2000:]) from None
            time.sleep(0.05)
    yield f"127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def sbom_generator_tag() -> str:
    """The generator image's tag: a hash of its sources, so an edited script never reuses a stale image."""
    h = hashlib.sha256()
    for f in sorted(SBOM_GENERATOR_DIR.iterdir()):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:12]


@pytest.fixture(scope="session")
def sbom_generator() -> str:
    """``127.0.0.1:5000/dockgen-test/sbom-generator:<source hash>``: the BuildKit SBOM generator built from
    ``sbom_generator/`` (busybox + a shell script, linux/amd64 and linux/arm64), pushed once per source change."""
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    tag = sbom_generator_tag()
    ref = f"{PLAIN_REGISTRY}/{SBOM_GENERATOR_REPO}:{tag}"
    with RegistryClient(PLAIN_REGISTRY) as client:
        try:
            client.resolve(SBOM_GENERATOR_REPO, tag)
            return ref
        except registry_errors.NotFoundError:
            pass
    r = subprocess.run(
        [
            "docker",
            "buildx",
            "build",
            "--platform",
            SBOM_GENERATOR_PLATFORMS,
            "--provenance=false",
            "--push",
            "-t",
            ref,
            str(SBOM_GENERATOR_DIR),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, f"building the SBOM generator image failed:\n{r.stderr[-3000:]}"
    return ref
