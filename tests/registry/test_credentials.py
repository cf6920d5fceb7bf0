"""dockgen.registry.credentials: docker config files, DOCKER_CONFIG_JSON, environment, and real credential helpers."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from dockgen.errors import ConfigError
from dockgen.registry import credentials
from dockgen.registry.credentials import Credentials, HelperError

SECRET = "s3cret-Pa55-for-tests"


def b64(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def write_config(d: Path, config: dict[str, object]) -> None:
    (d / "config.json").write_text(json.dumps(config))


@pytest.mark.parametrize(
    ("key", "lookup"),
    [
        ("registry.example.com", "registry.example.com"),
        ("https://registry.example.com", "registry.example.com"),
        ("https://registry.example.com/v1/", "registry.example.com"),
        ("127.0.0.1:5000", "127.0.0.1:5000"),
        ("https://index.docker.io/v1/", "docker.io"),
        ("https://index.docker.io/v1/", "index.docker.io"),
        ("https://index.docker.io/v1/", "registry-1.docker.io"),
        ("docker.io", "https://index.docker.io/v1/"),
    ],
    ids=["host", "https-url", "v1-url", "host-port", "hub-key", "hub-index", "hub-api", "hub-short-key"],
)
def test_auths_entry_found_under_any_spelling(docker_config: Path, key: str, lookup: str) -> None:
    write_config(docker_config, {"auths": {key: {"auth": b64("alice", SECRET)}}})
    found = credentials.resolve(lookup)
    assert found is not None
    assert (found.username, found.password) == ("alice", SECRET)


def test_registry_key_of_docker_hub() -> None:
    assert credentials.registry_key("docker.io") == "https://index.docker.io/v1/"
    assert credentials.registry_key("registry-1.docker.io") == "https://index.docker.io/v1/"
    assert credentials.registry_key("ghcr.io") == "ghcr.io"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"auth": b64("bob", "p:with:colons")}, ("bob", "p:with:colons", None)),
        ({"username": "carol", "password": SECRET}, ("carol", SECRET, None)),
        ({"identitytoken": "refresh-tok"}, ("", "", "refresh-tok")),
        ({"auth": b64("dave", "pw"), "identitytoken": "tok2"}, ("dave", "pw", "tok2")),
        ({}, None),
    ],
    ids=["auth-base64", "username-password", "identitytoken", "auth-and-token", "empty-entry"],
)
def test_auths_entry_forms(
    docker_config: Path, entry: dict[str, str], expected: tuple[str, str, str | None] | None
) -> None:
    write_config(docker_config, {"auths": {"reg.example": entry}})
    found = credentials.resolve("reg.example")
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.username, found.password, found.identity_token) == expected


def test_no_config_means_no_credentials(docker_config: Path) -> None:
    assert credentials.resolve("reg.example") is None


def test_home_docker_config_used_without_docker_config_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)
    monkeypatch.delenv("DOCKER_CONFIG_JSON", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".docker").mkdir()
    write_config(tmp_path / ".docker", {"auths": {"reg.example": {"auth": b64("h", "pw")}}})
    found = credentials.resolve("reg.example")
    assert found is not None and found.username == "h"
    assert credentials.config_path() == tmp_path / ".docker" / "config.json"


def test_docker_config_json_env_wins_over_the_file(
    docker_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(docker_config, {"auths": {"reg.example": {"auth": b64("file", "x")}}})
    monkeypatch.setenv(
        "DOCKER_CONFIG_JSON", json.dumps({"auths": {"reg.example": {"auth": b64("ci", SECRET)}}})
    )
    found = credentials.resolve("reg.example")
    assert found is not None and (found.username, found.password) == ("ci", SECRET)
    assert found.source == "DOCKER_CONFIG_JSON"


def test_invalid_config_json_error_names_the_place_not_the_content(
    docker_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "DOCKER_CONFIG_JSON", '{"auths": {"reg.example": {"auth": "' + SECRET + '"}}'
    )  # unclosed
    with pytest.raises(ConfigError) as err:
        credentials.resolve("reg.example")
    text = str(err.value)
    assert "DOCKER_CONFIG_JSON" in text and "not valid JSON" in text
    assert SECRET not in text and SECRET not in repr(err.value)


def test_bad_base64_auth_is_a_config_error(docker_config: Path) -> None:
    write_config(docker_config, {"auths": {"reg.example": {"auth": base64.b64encode(b"nocolon").decode()}}})
    with pytest.raises(ConfigError) as err:
        credentials.resolve("reg.example")
    assert 'auths["reg.example"].auth' in str(err.value)


@pytest.mark.parametrize(
    ("host_env", "lookup", "expected_user"),
    [
        ("reg.example", "reg.example", "envuser"),
        ("other.example reg.example", "reg.example", "envuser"),
        ("other.example", "reg.example", "fileuser"),
        ("", "reg.example", "fileuser"),
    ],
    ids=["named-host", "one-of-several", "other-host", "no-host-set"],
)
def test_dockgen_registry_env_only_for_the_named_host(
    docker_config: Path, monkeypatch: pytest.MonkeyPatch, host_env: str, lookup: str, expected_user: str
) -> None:
    write_config(docker_config, {"auths": {"reg.example": {"auth": b64("fileuser", "x")}}})
    monkeypatch.setenv("DOCKGEN_REGISTRY_USER", "envuser")
    monkeypatch.setenv("DOCKGEN_REGISTRY_PASSWORD", SECRET)
    monkeypatch.setenv("DOCKGEN_REGISTRY_HOST", host_env)
    found = credentials.resolve(lookup)
    assert found is not None and found.username == expected_user


def test_credentials_repr_hides_secrets() -> None:
    c = Credentials("alice", SECRET, identity_token="tok-" + SECRET)
    for text in (repr(c), str(c), f"{c}", str([c]), str({"c": c})):
        assert SECRET not in text
        assert "alice" in text


# --------------------------------------------------------------------------- credential helpers (real processes)


def test_helper_get_store_erase_protocol(docker_config: Path, cred_helper) -> None:  # type: ignore[no-untyped-def]
    credentials.store_with_helper("dgtest", "reg.example:5000", Credentials("alice", SECRET))
    assert cred_helper.stored() == {"reg.example:5000": ["alice", SECRET]}
    got = credentials.get_from_helper("dgtest", "reg.example:5000")
    assert got is not None and (got.username, got.password) == ("alice", SECRET)
    assert got.source == "docker-credential-dgtest"
    assert credentials.get_from_helper("dgtest", "unknown.example") is None  # "credentials not found" -> None
    credentials.erase_with_helper("dgtest", "reg.example:5000")
    assert cred_helper.stored() == {}
    assert cred_helper.calls() == [
        "store reg.example:5000",
        "get reg.example:5000",
        "get unknown.example",
        "erase reg.example:5000",
    ]


def test_helper_identity_token_username(docker_config: Path, cred_helper) -> None:  # type: ignore[no-untyped-def]
    cred_helper.store.write_text(json.dumps({"reg.example": ["<token>", "refresh-" + SECRET]}))
    got = credentials.get_from_helper("dgtest", "reg.example")
    assert got is not None and got.identity_token == "refresh-" + SECRET and got.username == ""


def test_helper_gets_docker_hub_under_its_legacy_key(docker_config: Path, cred_helper) -> None:  # type: ignore[no-untyped-def]
    cred_helper.store.write_text(json.dumps({"https://index.docker.io/v1/": ["hubuser", SECRET]}))
    write_config(docker_config, {"credsStore": "dgtest"})
    found = credentials.resolve("docker.io")
    assert found is not None and found.username == "hubuser"
    assert cred_helper.calls() == ["get https://index.docker.io/v1/"]


def test_cred_helpers_entry_beats_creds_store(docker_config: Path, cred_helper, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cred_helper.store.write_text(json.dumps({"reg.example": ["fromhelper", SECRET]}))
    write_config(
        docker_config,
        {
            "credsStore": "missing-store",
            "credHelpers": {"reg.example": "dgtest"},
            "auths": {"reg.example": {}},
        },
    )
    found = credentials.resolve("reg.example")
    assert found is not None and found.username == "fromhelper"


def test_missing_helper_binary_falls_back_to_inline_auth(docker_config: Path) -> None:
    write_config(
        docker_config,
        {"credsStore": "definitely-not-installed", "auths": {"reg.example": {"auth": b64("inline", "pw")}}},
    )
    found = credentials.resolve("reg.example")
    assert found is not None and found.username == "inline"
    assert credentials.resolve("other.example") is None


def test_failing_helper_is_an_error_without_secrets(
    docker_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin2"
    bin_dir.mkdir()
    exe = bin_dir / "docker-credential-broken"
    exe.write_text("#!/bin/sh\necho 'keychain locked' >&2\nexit 3\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    write_config(docker_config, {"credsStore": "broken"})
    with pytest.raises(HelperError) as err:
        credentials.resolve("reg.example")
    assert "docker-credential-broken get failed: keychain locked" in str(err.value)


# --------------------------------------------------------------------------- storing


def test_store_writes_base64_auth_with_0600(docker_config: Path) -> None:
    write_config(
        docker_config, {"auths": {"https://reg.example": {"auth": b64("old", "old")}}, "psFormat": "x"}
    )
    where = credentials.store("reg.example", Credentials("alice", SECRET))
    path = docker_config / "config.json"
    assert where == str(path)
    data = json.loads(path.read_text())
    assert data["psFormat"] == "x"  # other settings kept
    assert data["auths"] == {"reg.example": {"auth": b64("alice", SECRET)}}  # one entry, docker's key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_store_creates_the_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "new" / "docker"
    monkeypatch.setenv("DOCKER_CONFIG", str(d))
    credentials.store("docker.io", Credentials("hub", SECRET))
    data = json.loads((d / "config.json").read_text())
    assert list(data["auths"]) == ["https://index.docker.io/v1/"]
    assert stat.S_IMODE((d / "config.json").stat().st_mode) == 0o600


def test_store_uses_the_configured_creds_store(docker_config: Path, cred_helper) -> None:  # type: ignore[no-untyped-def]
    write_config(docker_config, {"credsStore": "dgtest"})
    where = credentials.store("reg.example", Credentials("alice", SECRET))
    assert where == "credential helper docker-credential-dgtest"
    assert cred_helper.stored() == {"reg.example": ["alice", SECRET]}
    assert SECRET not in (docker_config / "config.json").read_text()
