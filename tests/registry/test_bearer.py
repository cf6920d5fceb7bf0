"""Bearer-token authentication against a real registry configured for token auth (see TokenService)."""

from __future__ import annotations

import base64
import io
import json
import logging

import pytest

from dockgen.cli import main
from dockgen.registry import DeniedError, RegistryClient, UnauthorizedError
from dockgen.registry.credentials import Credentials

pytestmark = pytest.mark.registry


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


def _name(reg, prefix: str) -> str:  # type: ignore[no-untyped-def]
    return reg.repo(prefix)


def test_probe_sees_a_bearer_challenge(token_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    reg, _ = token_registry
    with RegistryClient(reg.addr, anonymous=True) as c:
        caps = c.probe()
    assert caps.auth == "bearer"


def test_credentials_push_and_tokens_are_cached_per_scope(token_registry, docker_config, oci_builder) -> None:  # type: ignore[no-untyped-def]
    reg, tokens = token_registry
    repo = _name(reg, "team")
    with RegistryClient(reg.addr, credentials=Credentials(tokens.user, tokens.password)) as c:
        img = oci_builder(c, repo).image("v1")
    tokens.requests.clear()
    with RegistryClient(reg.addr, credentials=Credentials(tokens.user, tokens.password)) as c:
        for _ in range(3):
            assert c.list_tags(repo) == ["v1"]
            assert c.resolve(repo, "v1") == img.digest
    # one token for pull scope, reused by the six requests
    assert tokens.requests == [("GET", "basic", (f"repository:{repo}:pull",))]


def test_anonymous_pull_of_a_public_repository(token_registry, docker_config, oci_builder) -> None:  # type: ignore[no-untyped-def]
    reg, tokens = token_registry
    repo = _name(reg, "public")
    with RegistryClient(reg.addr, credentials=Credentials(tokens.user, tokens.password)) as c:
        oci_builder(c, repo).image("1.0")
    with RegistryClient(reg.addr) as anon:  # nothing in the (empty) docker config: anonymous tokens
        assert anon.list_tags(repo) == ["1.0"]
        with pytest.raises(UnauthorizedError) as err:
            anon.list_tags(_name(reg, "private"))
    assert str(err.value).startswith(f"not logged in to {reg.addr}")


def test_wrong_password_names_the_user_only(token_registry, docker_config, capsys, caplog) -> None:  # type: ignore[no-untyped-def]
    reg, tokens = token_registry
    wrong = "bad-" + tokens.password
    with (
        RegistryClient(reg.addr, credentials=Credentials(tokens.user, wrong)) as c,
        pytest.raises(UnauthorizedError) as err,
    ):
        c.list_tags(_name(reg, "team"))
    text = str(err.value)
    assert f"rejected the credentials of user '{tokens.user}'" in text
    out = capsys.readouterr()
    for t in (text, repr(err.value), out.out, out.err, caplog.text):
        assert wrong not in t and base64.b64encode(f"{tokens.user}:{wrong}".encode()).decode() not in t


def test_push_without_permission_is_denied_with_user_and_repository(
    token_registry, docker_config, oci_builder
) -> None:  # type: ignore[no-untyped-def]
    reg, tokens = token_registry
    repo = _name(reg, "locked")
    with (
        RegistryClient(reg.addr, credentials=Credentials(tokens.user, tokens.password)) as c,
        pytest.raises(DeniedError) as err,
    ):
        c.upload_blob(repo, b"data")
    assert str(err.value).startswith(
        f"logged in as {tokens.user} but not allowed to push to {reg.addr}/{repo}"
    )


def test_cross_repository_mount_asks_for_both_scopes(token_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    reg, tokens = token_registry
    src, dst = _name(reg, "team"), _name(reg, "team")
    with RegistryClient(reg.addr, credentials=Credentials(tokens.user, tokens.password)) as c:
        d = c.upload_blob(src, b"mount me")
        tokens.requests.clear()
        assert c.mount_blob(dst, d.digest, src) is True
    assert tokens.requests[0][2] == tuple(sorted([f"repository:{dst}:pull,push", f"repository:{src}:pull"]))


def test_identity_token_uses_the_refresh_token_grant(token_registry, docker_config, oci_builder) -> None:  # type: ignore[no-untyped-def]
    reg, tokens = token_registry
    repo = _name(reg, "team")
    with RegistryClient(reg.addr, credentials=Credentials(tokens.user, tokens.password)) as c:
        oci_builder(c, repo).image("v1")
    (docker_config / "config.json").write_text(
        json.dumps({"auths": {reg.addr: {"identitytoken": tokens.refresh_token}}})
    )
    tokens.requests.clear()
    with RegistryClient(reg.addr) as c:
        assert c.list_tags(repo) == ["v1"]
    assert tokens.requests == [("POST", "refresh_token", (f"repository:{repo}:pull",))]


def test_login_against_a_token_registry(token_registry, docker_config, monkeypatch, capsys, caplog) -> None:  # type: ignore[no-untyped-def]
    reg, tokens = token_registry
    monkeypatch.setattr("sys.stdin", io.StringIO("nope\n"))
    assert main(argv=["login", reg.addr, "-u", tokens.user, "--password-stdin"]) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO(tokens.password + "\n"))
    assert main(argv=["login", reg.addr, "-u", tokens.user, "--password-stdin"]) == 0
    out = capsys.readouterr()
    assert "Login Succeeded" in out.out and "rejected the credentials" in out.err
    assert tokens.password not in out.out + out.err + caplog.text
    stored = json.loads((docker_config / "config.json").read_text())["auths"][reg.addr]["auth"]
    assert base64.b64decode(stored).decode() == f"{tokens.user}:{tokens.password}"
