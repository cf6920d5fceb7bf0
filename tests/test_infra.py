"""The local test infrastructure (scripts/infra.sh) is really there and behaves as the suite assumes."""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.support import infra


def docker(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


MANIFEST_ACCEPT = {
    "Accept": ", ".join(
        [
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
        ]
    )
}


@pytest.mark.docker
def test_engine_answers_with_containerd_image_store() -> None:
    infra.require_engine()
    result = docker("info", "--format", "{{json .DriverStatus}}")
    assert result.returncode == 0, result.stderr
    assert "io.containerd.snapshotter" in result.stdout


@pytest.mark.registry
@pytest.mark.parametrize(
    ("addr", "status"),
    [(infra.PLAIN_REGISTRY, 200), (infra.MIRROR_REGISTRY, 200), (infra.AUTH_REGISTRY, 401)],
    ids=["plain", "mirror", "auth-anonymous"],
)
def test_registry_v2_endpoint_answers(addr: str, status: int) -> None:
    infra.require_registry(addr)
    assert infra.registry_status(addr) == status


@pytest.mark.registry
@pytest.mark.parametrize(
    ("password", "status"),
    [(infra.AUTH_PASSWORD, 200), ("not-the-password", 401), ("", 401)],
    ids=["right-password", "wrong-password", "empty-password"],
)
def test_auth_registry_checks_the_password(password: str, status: int) -> None:
    infra.require_registry(infra.AUTH_REGISTRY)
    assert infra.registry_status(infra.AUTH_REGISTRY, headers=basic(infra.AUTH_USER, password)) == status


@pytest.mark.registry
@pytest.mark.parametrize(
    ("repo", "tag", "platforms"),
    [
        ("library/debian", "bookworm", {"linux/amd64"}),
        ("library/debian", "bookworm-slim", {"linux/amd64"}),
        ("library/busybox", "latest", {"linux/amd64", "linux/arm64"}),
    ],
    ids=["debian-bookworm", "debian-bookworm-slim", "busybox-latest"],
)
def test_mirror_holds_seeded_base_images(repo: str, tag: str, platforms: set[str]) -> None:
    infra.require_registry(infra.MIRROR_REGISTRY)
    path = f"/v2/{repo}/manifests/{tag}"
    assert infra.registry_status(infra.MIRROR_REGISTRY, path, MANIFEST_ACCEPT) == 200
    if len(platforms) > 1:
        request = urllib.request.Request(
            infra.registry_url(infra.MIRROR_REGISTRY) + path, headers=MANIFEST_ACCEPT
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            index = json.load(response)
        found = {f"{m['platform']['os']}/{m['platform']['architecture']}" for m in index["manifests"]}
        assert platforms <= found


@pytest.mark.docker
@pytest.mark.registry
def test_engine_resolves_docker_hub_names_through_the_mirror() -> None:
    infra.require_engine()
    infra.require_registry(infra.MIRROR_REGISTRY)
    # a pull always asks the registry for the current digest; Docker Hub is unreachable here
    result = docker("pull", "-q", "debian:bookworm")
    assert result.returncode == 0, result.stderr
    run = docker("run", "--rm", "debian:bookworm", "cat", "/etc/debian_version")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("12.")


_PROBE = (
    "apt-config dump APT::Install-Recommends; ls /etc/apt/apt.conf.d /etc/dpkg/dpkg.cfg.d; "
    "test -e /usr/share/doc/bash/copyright && echo copyright-kept; "
    "test -e /usr/share/man/man1/bash.1.gz && echo bash-man; "
    "grep -q '^path-exclude /usr/share/doc/' /etc/dpkg/dpkg.cfg.d/* && echo doc-excluded; "
    "ls /usr/share/doc/bash | wc -l"
)


@pytest.mark.docker
@pytest.mark.registry
def test_seeded_debian_images_behave_like_the_official_ones() -> None:
    infra.require_engine()
    infra.require_registry(infra.MIRROR_REGISTRY)
    full = docker("run", "--rm", "debian:bookworm", "sh", "-c", _PROBE)
    slim = docker("run", "--rm", "debian:bookworm-slim", "sh", "-c", _PROBE)
    assert full.returncode == 0, full.stderr
    assert slim.returncode == 0, slim.stderr
    for out in (full.stdout, slim.stdout):
        # APT's default: recommended packages are installed, as in the official images
        assert 'APT::Install-Recommends "1"' in out
        for name in ("docker-clean", "docker-gzip-indexes", "docker-no-languages", "docker-apt-speedup"):
            assert name in out
        assert "copyright-kept" in out
    # only -slim keeps documentation and manuals out (dpkg path-exclude), like the official -slim
    assert "bash-man" in full.stdout and "bash-man" not in slim.stdout
    assert "doc-excluded" in slim.stdout and "doc-excluded" not in full.stdout
    assert slim.stdout.strip().endswith("\n1")
    assert int(full.stdout.strip().rsplit("\n", 1)[-1]) > 1


@pytest.mark.docker
@pytest.mark.buildx
def test_arm64_containers_run_under_emulation() -> None:
    infra.require_buildx()
    result = docker("run", "--rm", "--platform", "linux/arm64", infra.MULTI_PLATFORM_BASE, "uname", "-m")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "aarch64"


@pytest.mark.docker
@pytest.mark.registry
def test_push_to_auth_registry_needs_login(tmp_path: Path) -> None:
    infra.require_engine()
    infra.require_registry(infra.AUTH_REGISTRY)
    ref = f"{infra.AUTH_REGISTRY}/{infra.unique_repo('infra')}:1"
    config = tmp_path / "docker-config"
    config.mkdir()
    env_args = ("--config", str(config))
    assert docker("tag", "busybox:latest", ref).returncode == 0
    try:
        anonymous = docker(*env_args, "push", "-q", ref)
        assert anonymous.returncode != 0
        assert "auth" in anonymous.stderr.lower(), anonymous.stderr
        login = subprocess.run(
            ["docker", *env_args, "login", infra.AUTH_REGISTRY, "-u", infra.AUTH_USER, "--password-stdin"],
            input=infra.AUTH_PASSWORD,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert login.returncode == 0, login.stderr
        pushed = docker(*env_args, "push", "-q", ref)
        assert pushed.returncode == 0, pushed.stderr
    finally:
        docker("image", "rm", ref)


@pytest.mark.parametrize("require_env", ["1", None], ids=["required-fails", "optional-skips"])
def test_missing_infra_fails_only_when_required(
    monkeypatch: pytest.MonkeyPatch, require_env: str | None
) -> None:
    # 127.0.0.1:1 is a real address where nothing listens
    if require_env is None:
        monkeypatch.delenv(infra.REQUIRE_ENV, raising=False)
        with pytest.raises(pytest.skip.Exception, match=r"run scripts/infra\.sh"):
            infra.require_registry("127.0.0.1:1")
    else:
        monkeypatch.setenv(infra.REQUIRE_ENV, require_env)
        with pytest.raises(pytest.fail.Exception, match="forbids skipping"):
            infra.require_registry("127.0.0.1:1")


def test_wait_for_port_gives_up_on_a_closed_port() -> None:
    assert infra.wait_for_port("127.0.0.1", 1, timeout=0.3) is False
