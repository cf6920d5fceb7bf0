from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg115_secret_in_arg_or_env_name import SecretInArgOrEnvName, secret_looking

CATCHES = [
    pytest.param("FROM alpine\nARG GITHUB_TOKEN\n", [2], id="token"),
    pytest.param("FROM alpine\nENV DB_PASSWORD=x\n", [2], id="password"),
    pytest.param("FROM alpine\nENV API_KEY=x OTHER=y\n", [2], id="key-among-pairs"),
    pytest.param("ARG NPM_AUTH\nFROM alpine\n", [1], id="global-arg"),
    pytest.param("FROM alpine\nENV secret_message hello\n", [2], id="legacy-lower-case"),
    pytest.param("FROM alpine\nONBUILD ARG REGISTRY_PASSWD\n", [2], id="onbuild"),
    pytest.param("FROM alpine\nARG AWS_SECRET_ACCESS_KEY\n", [2], id="aws"),
]
CLEAN = [
    pytest.param("FROM alpine\nARG PUBLIC_KEY\n", id="public"),
    pytest.param("FROM alpine\nENV KEYBOARD=us\n", id="word-inside"),
    pytest.param("FROM alpine\nENV TOKENIZERS_PARALLELISM=false\n", id="prefix-inside"),
    pytest.param("FROM python:3.12\nENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305\n", id="gpg-key"),
    pytest.param("FROM postgres\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db\n", id="file-pointer"),
    pytest.param("FROM alpine\nLABEL api_key=x\n", id="label-not-checked"),
    pytest.param("FROM alpine\nENV MONKEY=1\n", id="monkey"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(SecretInArgOrEnvName, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(SecretInArgOrEnvName, text) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("apikey", True), ("AUTH", True), ("MY_CREDENTIALS", True), ("PWORD_X", True), ("AUTHOR", False)],
)
def test_name_matcher(name: str, expected: bool) -> None:
    assert secret_looking(name) is expected


def test_value_is_not_in_the_message() -> None:
    (finding,) = run(SecretInArgOrEnvName, "FROM alpine\nENV DB_PASSWORD=hunter2\n")
    assert "hunter2" not in finding.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("FROM a\nENV DOCKER_AUTH_VERSION 1.5.0\n", id="version"),
        pytest.param("FROM a\nARG AUTH_VERSION=v2.3.1-rc1\n", id="v-version"),
        pytest.param("FROM a\nENV SSL_KEY=/etc/ssl/private/server.key\n", id="path-in-key"),
        pytest.param("FROM a\nENV AUTH=false\n", id="switch"),
    ],
)
def test_plainly_not_secret_values_are_not_flagged(text: str) -> None:
    assert run(SecretInArgOrEnvName, text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("FROM a\nARG API_TOKEN\n", id="no-value"),
        pytest.param("FROM a\nENV DB_PASSWORD=s3cr3t-1.0\n", id="secret-looking-value"),
    ],
)
def test_secret_values_are_still_flagged(text: str) -> None:
    assert lines(run(SecretInArgOrEnvName, text)) == [2]


def test_gpg_key_fingerprints_are_public() -> None:
    text = "FROM a\nENV WORDPRESS_CLI_GPG_KEY 63AF7AA15067C05616FDDD88A3A2E8F226F0BC06\nARG GPG_KEYS\n"
    assert run(SecretInArgOrEnvName, text) == []
