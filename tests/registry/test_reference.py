"""Image reference parsing and normalisation (pure)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockgen.registry import (
    InvalidReferenceError,
    Reference,
    is_loopback,
    normalize_registry,
    parse_reference,
)

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("nginx", "docker.io", "library/nginx", None, None),
        ("nginx:1.25", "docker.io", "library/nginx", "1.25", None),
        ("bitnami/redis:7", "docker.io", "bitnami/redis", "7", None),
        ("docker.io/nginx", "docker.io", "library/nginx", None, None),
        ("index.docker.io/library/nginx:x", "docker.io", "library/nginx", "x", None),
        ("registry-1.docker.io/org/app", "docker.io", "org/app", None, None),
        ("ghcr.io/org/team/app:1.0", "ghcr.io", "org/team/app", "1.0", None),
        ("localhost/app", "localhost", "app", None, None),
        ("localhost:5000/app:dev", "localhost:5000", "app", "dev", None),
        ("127.0.0.1:5000/a/b", "127.0.0.1:5000", "a/b", None, None),
        (f"127.0.0.1:5000/a/b@{DIGEST}", "127.0.0.1:5000", "a/b", None, DIGEST),
        (f"reg.example/a:1.0@{DIGEST}", "reg.example", "a", "1.0", DIGEST),
        ("Reg.Example.COM/a", "reg.example.com", "a", None, None),
        ("https://reg.example/a:1", "reg.example", "a", "1", None),
        ("[::1]:5000/app", "[::1]:5000", "app", None, None),
        ("a.b-c/x__y/z.w-q:t_1.2-3", "a.b-c", "x__y/z.w-q", "t_1.2-3", None),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
def test_parse_reference(
    text: str, registry: str, repository: str, tag: str | None, digest: str | None
) -> None:
    ref = parse_reference(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (registry, repository, tag, digest)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty image reference"),
        ("reg.example/App:1", "must be lowercase"),
        ("reg.example/app:-bad", "invalid tag"),
        ("reg.example/app:" + "x" * 129, "invalid tag"),
        ("reg.example/app@sha256:short", "invalid digest"),
        ("reg.example/app@md5", "invalid digest"),
        ("reg.example//app", "invalid repository name"),
        ("reg.example/app/", "invalid repository name"),
        ("reg.example/a..b", "invalid repository name"),
    ],
    ids=[
        "empty",
        "uppercase",
        "tag-dash",
        "tag-long",
        "digest-short",
        "digest-no-hex",
        "double-slash",
        "trailing-slash",
        "double-dot",
    ],
)
def test_invalid_references(text: str, message: str) -> None:
    with pytest.raises(InvalidReferenceError) as err:
        parse_reference(text)
    assert message in str(err.value)
    assert err.value.exit_code == 2


def test_reference_properties() -> None:
    ref = parse_reference("nginx:1.25")
    assert str(ref) == "docker.io/library/nginx:1.25"
    assert ref.familiar == "nginx:1.25"
    assert ref.api_host == "registry-1.docker.io"
    assert ref.reference == "1.25"
    assert parse_reference("nginx").reference == "latest"
    pinned = ref.with_digest(DIGEST)
    assert pinned.reference == DIGEST and str(pinned) == f"docker.io/library/nginx:1.25@{DIGEST}"
    assert parse_reference("ghcr.io/o/a").with_tag("v2") == Reference("ghcr.io", "o/a", "v2", None)
    with pytest.raises(InvalidReferenceError):
        ref.with_tag("no spaces")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("https://index.docker.io/v1/", "docker.io"),
        ("registry-1.docker.io", "docker.io"),
        ("http://reg.example:5000/", "reg.example:5000"),
        ("GHCR.IO", "ghcr.io"),
    ],
)
def test_normalize_registry(host: str, expected: str) -> None:
    assert normalize_registry(host) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", True),
        ("localhost:5000", True),
        ("127.0.0.1:5000", True),
        ("127.9.9.9", True),
        ("[::1]:5000", True),
        ("reg.example", False),
        ("10.0.0.1:5000", False),
        ("localhost.example.com", False),
    ],
)
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_registry_tests_fail_instead_of_skipping_when_infra_is_required(tmp_path: Path) -> None:
    """Without docker-registry on PATH, the registry tests skip, or fail under DOCKGEN_REQUIRE_INFRA."""
    root = Path(__file__).resolve().parents[2]
    target = "tests/registry/test_client.py::test_probe_plain_registry"
    env = {k: v for k, v in os.environ.items() if k != "DOCKGEN_REQUIRE_INFRA"}
    env["PATH"] = str(tmp_path)  # no docker-registry here
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", target]
    skipped = subprocess.run(base, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert skipped.returncode == 0 and "1 skipped" in skipped.stdout, skipped.stdout
    env["DOCKGEN_REQUIRE_INFRA"] = "1"
    failed = subprocess.run(base, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "DOCKGEN_REQUIRE_INFRA is set" in failed.stdout, failed.stdout
