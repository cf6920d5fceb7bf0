"""Authentication and TLS against a real HTTPS + htpasswd registry; secrets never reach any output."""

from __future__ import annotations

import base64
import io
import json
import logging
import stat
from pathlib import Path

import pytest

from dockgen.cli import main
from dockgen.registry import (
    DeniedError,
    LoginFailedError,
    RegistryClient,
    TLSError,
    UnauthorizedError,
    parse_reference,
)
from dockgen.registry.credentials import Credentials

pytestmark = pytest.mark.registry


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # so the secret checks also cover debug logging


def _assert_no_secret(secret: str, *texts: str) -> None:
    for t in texts:
        assert secret not in t
        assert base64.b64encode(secret.encode()).decode() not in t


def test_tls_without_the_ca_fails_with_instructions(tls_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    with RegistryClient(tls_registry.addr) as c, pytest.raises(TLSError) as err:
        c.probe()
    text = str(err.value)
    assert f"TLS handshake with {tls_registry.addr} failed: certificate verify failed" in text
    assert "DOCKGEN_CA_BUNDLE" in text and "DOCKGEN_INSECURE_REGISTRIES" in text
    assert f"/etc/docker/certs.d/{tls_registry.addr}/ca.crt" in text


def test_custom_ca_by_parameter_and_by_environment(tls_registry, docker_config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with RegistryClient(tls_registry.addr, ca_bundle=tls_registry.ca_cert) as c:
        caps = c.probe()
    assert caps.url == f"https://{tls_registry.addr}"
    assert caps.auth == "basic" and caps.authenticated is False
    monkeypatch.setenv("DOCKGEN_CA_BUNDLE", str(tls_registry.ca_cert))
    with RegistryClient(tls_registry.addr) as c:
        assert c.probe().url == f"https://{tls_registry.addr}"


def test_insecure_list_skips_verification(tls_registry, docker_config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCKGEN_INSECURE_REGISTRIES", f"other.example,{tls_registry.addr}")
    with RegistryClient(tls_registry.addr) as c:
        assert c.probe().url == f"https://{tls_registry.addr}"


def test_anonymous_is_told_to_log_in(tls_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    with (
        RegistryClient(tls_registry.addr, ca_bundle=tls_registry.ca_cert) as c,
        pytest.raises(UnauthorizedError) as err,
    ):
        c.list_tags("some/repo")
    assert str(err.value).startswith(f"not logged in to {tls_registry.addr}")
    assert f"dockgen login {tls_registry.addr}" in str(err.value)


def test_right_password_pushes_and_reads(tls_registry, docker_config, oci_builder) -> None:  # type: ignore[no-untyped-def]
    creds = Credentials(tls_registry.user, tls_registry.password)
    with RegistryClient(tls_registry.addr, credentials=creds, ca_bundle=tls_registry.ca_cert) as c:
        b = oci_builder(c, tls_registry.repo())
        img = b.image("v1")
        assert c.list_tags(b.repo) == ["v1"]
        assert c.resolve(b.repo, "v1") == img.digest
        assert c.probe().authenticated is True
        c.delete_manifest(b.repo, img.digest)
        assert c.list_tags(b.repo) == []


def test_wrong_password_is_a_clear_error_without_the_password(
    tls_registry,
    docker_config,
    capsys,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    wrong = "Wrong-" + tls_registry.password
    creds = Credentials(tls_registry.user, wrong)
    with RegistryClient(tls_registry.addr, credentials=creds, ca_bundle=tls_registry.ca_cert) as c:
        with pytest.raises(UnauthorizedError) as err:
            c.list_tags("some/repo")
        client_repr = repr(c)
    text = str(err.value)
    assert f"{tls_registry.addr} rejected the credentials of user '{tls_registry.user}'" in text
    out = capsys.readouterr()
    _assert_no_secret(
        wrong, text, repr(err.value), str(err.value.args), client_repr, out.out, out.err, caplog.text
    )


def test_login_stores_credentials_that_later_calls_use(
    tls_registry,
    docker_config,
    monkeypatch,
    capsys,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(tls_registry.password + "\n"))
    rc = main(
        argv=[
            "login",
            tls_registry.addr,
            "-u",
            tls_registry.user,
            "--password-stdin",
            "--ca-bundle",
            str(tls_registry.ca_cert),
        ]
    )
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert f"Login Succeeded: {tls_registry.user} at {tls_registry.addr}" in out.out
    path = docker_config / "config.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    entry = json.loads(path.read_text())["auths"][tls_registry.addr]
    assert base64.b64decode(entry["auth"]).decode() == f"{tls_registry.user}:{tls_registry.password}"
    _assert_no_secret(tls_registry.password, out.out, out.err, caplog.text)
    # a client without explicit credentials now finds them in the docker config
    with RegistryClient(tls_registry.addr, ca_bundle=tls_registry.ca_cert) as c:
        assert c.probe().authenticated is True
        assert c.username == tls_registry.user


def test_login_with_a_wrong_password_fails_and_stores_nothing(
    tls_registry,
    docker_config,
    monkeypatch,
    capsys,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    wrong = "nope-" + tls_registry.password
    monkeypatch.setattr("sys.stdin", io.StringIO(wrong))
    rc = main(
        argv=[
            "login",
            tls_registry.addr,
            "-u",
            tls_registry.user,
            "--password-stdin",
            "--ca-bundle",
            str(tls_registry.ca_cert),
        ]
    )
    out = capsys.readouterr()
    assert rc == 1
    assert f"rejected the credentials of user '{tls_registry.user}'" in out.err
    assert not (docker_config / "config.json").exists()
    _assert_no_secret(wrong, out.out, out.err, caplog.text)


def test_login_through_a_real_credential_helper(
    tls_registry,
    docker_config,
    cred_helper,
    monkeypatch,
    capsys,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    (docker_config / "config.json").write_text(json.dumps({"credsStore": cred_helper.name}))
    monkeypatch.setattr("sys.stdin", io.StringIO(tls_registry.password))
    monkeypatch.setenv("DOCKGEN_CA_BUNDLE", str(tls_registry.ca_cert))
    rc = main(argv=["login", tls_registry.addr, "-u", tls_registry.user, "--password-stdin"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert "docker-credential-dgtest" in out.out
    assert cred_helper.stored() == {tls_registry.addr: [tls_registry.user, tls_registry.password]}
    assert tls_registry.password not in (docker_config / "config.json").read_text()
    with RegistryClient(tls_registry.addr) as c:
        assert c.probe().authenticated is True
    assert f"get {tls_registry.addr}" in cred_helper.calls()
    _assert_no_secret(tls_registry.password, out.out, out.err, caplog.text)


def test_docker_config_json_env_for_ci(tls_registry, docker_config, monkeypatch, oci_builder) -> None:  # type: ignore[no-untyped-def]
    auth = base64.b64encode(f"{tls_registry.user}:{tls_registry.password}".encode()).decode()
    monkeypatch.setenv("DOCKER_CONFIG_JSON", json.dumps({"auths": {tls_registry.addr: {"auth": auth}}}))
    with RegistryClient(tls_registry.addr, ca_bundle=tls_registry.ca_cert) as c:
        b = oci_builder(c, tls_registry.repo())
        b.image("ci")
        assert c.list_tags(b.repo) == ["ci"]


def test_dockgen_registry_user_env(tls_registry, docker_config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCKGEN_REGISTRY_USER", tls_registry.user)
    monkeypatch.setenv("DOCKGEN_REGISTRY_PASSWORD", tls_registry.password)
    monkeypatch.setenv("DOCKGEN_REGISTRY_HOST", tls_registry.addr)
    with RegistryClient(tls_registry.addr, ca_bundle=tls_registry.ca_cert) as c:
        assert c.probe().authenticated is True


def test_inspect_command_on_an_authenticated_registry(
    tls_registry,
    docker_config,
    monkeypatch,
    capsys,
    caplog,
    oci_builder,  # type: ignore[no-untyped-def]
) -> None:
    creds = Credentials(tls_registry.user, tls_registry.password)
    with RegistryClient(tls_registry.addr, credentials=creds, ca_bundle=tls_registry.ca_cert) as c:
        b = oci_builder(c, tls_registry.repo())
        img = b.image("2.0", labels={"org.opencontainers.image.version": "2.0"})
    ref = f"{tls_registry.addr}/{b.repo}:2.0"
    monkeypatch.setenv("DOCKGEN_CA_BUNDLE", str(tls_registry.ca_cert))
    assert main(argv=["inspect", ref]) == 1  # not logged in yet
    err = capsys.readouterr().err
    assert f"not logged in to {tls_registry.addr}" in err
    monkeypatch.setenv(
        "DOCKER_CONFIG_JSON",
        json.dumps(
            {"auths": {tls_registry.addr: {"username": tls_registry.user, "password": tls_registry.password}}}
        ),
    )
    assert main(argv=["inspect", ref, "--json"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["digest"] == img.digest and data["tags"] == ["2.0"]
    assert data["platforms"][0]["labels"] == {"org.opencontainers.image.version": "2.0"}
    _assert_no_secret(tls_registry.password, out.out, out.err, caplog.text)
    assert parse_reference(ref).registry == tls_registry.addr


def test_denied_message_names_user_and_repository() -> None:
    err = DeniedError("ghcr.io", "team/app", "push to", username="alice")
    assert str(err).startswith("logged in as alice but not allowed to push to ghcr.io/team/app")
    assert isinstance(LoginFailedError("r", username="u"), UnauthorizedError)


def test_login_requires_a_username_with_password_stdin(docker_config, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("pw"))
    assert main(argv=["login", "reg.example", "--password-stdin"]) == 2
    assert "--username is required" in capsys.readouterr().err


def test_login_refuses_an_empty_password(docker_config, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(argv=["login", "reg.example", "-u", "x", "--password-stdin"]) == 2
    assert "empty password" in capsys.readouterr().err


def test_secrets_file_written_by_login_is_not_world_readable(docker_config: Path) -> None:
    from dockgen.registry import credentials

    credentials.store("reg.example", Credentials("u", "p"))
    mode = stat.S_IMODE((docker_config / "config.json").stat().st_mode)
    assert mode & 0o077 == 0


def test_login_writes_through_a_symlinked_config(
    tls_registry,
    docker_config,
    tmp_path,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    """A dotfiles-managed ~/.docker/config.json symlink stays a link (it used to be replaced by a regular
    file); the target gets the credentials atomically, mode 0600, other settings kept."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "docker-config.json"
    target.write_text(json.dumps({"psFormat": "table {{.ID}}"}))
    target.chmod(0o644)
    link = docker_config / "config.json"
    link.symlink_to(target)
    monkeypatch.setattr("sys.stdin", io.StringIO(tls_registry.password + "\n"))
    argv = ["login", tls_registry.addr, "-u", tls_registry.user, "--password-stdin"]
    rc = main(argv=[*argv, "--ca-bundle", str(tls_registry.ca_cert)])
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert link.is_symlink() and link.resolve() == target
    data = json.loads(target.read_text())
    assert data["psFormat"] == "table {{.ID}}" and tls_registry.addr in data["auths"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in dotfiles.iterdir()) == ["docker-config.json"]
    assert sorted(p.name for p in docker_config.iterdir()) == ["config.json"]
