from __future__ import annotations

import pytest
from _helpers import fixed, lines, run
from dockgen_rules.dg140_exec_form_with_variable import ExecFormWithVariable
from dockgen_rules.dg141_env_path_overwritten import EnvPathOverwritten
from dockgen_rules.dg142_debian_frontend_in_env import DebianFrontendInEnv
from dockgen_rules.dg143_secret_file_copied import SecretFileCopied, secret_file
from dockgen_rules.dg144_healthcheck_duration_without_unit import (
    HealthcheckDurationWithoutUnit,
    valid_duration,
)

from dockgen.lint.rule import Rule

CATCHES = [
    pytest.param(ExecFormWithVariable, 'FROM a\nCMD ["app", "--port", "$PORT"]\n', [2], id="cmd"),
    pytest.param(ExecFormWithVariable, 'FROM a\nENTRYPOINT ["/bin/${APP}"]\n', [2], id="entrypoint"),
    pytest.param(ExecFormWithVariable, 'FROM a\nRUN ["echo", "$HOME"]\n', [2], id="run"),
    pytest.param(EnvPathOverwritten, "FROM python:3.12\nENV PATH=/opt/venv/bin\n", [2], id="path"),
    pytest.param(EnvPathOverwritten, "FROM a\nENV PATH /x/bin\n", [2], id="legacy"),
    pytest.param(DebianFrontendInEnv, "FROM debian\nENV DEBIAN_FRONTEND=noninteractive\n", [2], id="env"),
    pytest.param(DebianFrontendInEnv, "FROM debian\nENV A=1 DEBIAN_FRONTEND=noninteractive\n", [2], id="two"),
    pytest.param(SecretFileCopied, "FROM a\nCOPY id_rsa /root/.ssh/\n", [2], id="ssh-key"),
    pytest.param(SecretFileCopied, "FROM a\nCOPY config/.env.production /app/\n", [2], id="env-file"),
    pytest.param(SecretFileCopied, "FROM a\nADD certs/server.key /etc/ssl/\n", [2], id="key"),
    pytest.param(SecretFileCopied, "FROM a\nCOPY .pypirc /root/\n", [2], id="pypirc"),
    pytest.param(
        HealthcheckDurationWithoutUnit, "FROM a\nHEALTHCHECK --interval=30 CMD x\n", [2], id="interval"
    ),
    pytest.param(
        HealthcheckDurationWithoutUnit, "FROM a\nHEALTHCHECK --start-period=1x CMD x\n", [2], id="unit"
    ),
]
CLEAN = [
    pytest.param(ExecFormWithVariable, 'FROM a\nCMD ["sh", "-c", "exec app --port $PORT"]\n', id="shell-c"),
    pytest.param(ExecFormWithVariable, 'FROM a\nCMD ["/bin/bash", "-ec", "app $X"]\n', id="bash-ec"),
    pytest.param(ExecFormWithVariable, "FROM a\nCMD app --port $PORT\n", id="shell-form"),
    pytest.param(ExecFormWithVariable, 'FROM a\nCMD ["price", "5$"]\n', id="dollar-alone"),
    pytest.param(EnvPathOverwritten, "FROM a\nENV PATH=/x/bin:$PATH\n", id="appended"),
    pytest.param(EnvPathOverwritten, "FROM a\nENV PATH=${PATH}:/x\n", id="braces"),
    pytest.param(EnvPathOverwritten, "FROM scratch\nENV PATH=/bin\n", id="scratch"),
    pytest.param(DebianFrontendInEnv, "FROM debian\nARG DEBIAN_FRONTEND=noninteractive\n", id="arg"),
    pytest.param(SecretFileCopied, "FROM a\nCOPY id_rsa.pub .env.example /x/\n", id="public"),
    pytest.param(SecretFileCopied, "FROM a\nCOPY --from=build /etc/ssl/app.key /x\n", id="from-stage"),
    pytest.param(SecretFileCopied, "FROM a\nCOPY environment.py keys/ /x/\n", id="lookalikes"),
    pytest.param(
        HealthcheckDurationWithoutUnit,
        "FROM a\nHEALTHCHECK --interval=1m30s --timeout=500ms CMD x\n",
        id="ok",
    ),
    pytest.param(HealthcheckDurationWithoutUnit, "FROM a\nHEALTHCHECK --interval=$I CMD x\n", id="variable"),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CATCHES)
def test_catches(rule: type[Rule], text: str, expected: list[int]) -> None:
    assert lines(run(rule, text)) == expected


@pytest.mark.parametrize(("rule", "text"), CLEAN)
def test_does_not_catch(rule: type[Rule], text: str) -> None:
    assert run(rule, text) == []


def test_debian_frontend_fix_only_for_a_single_pair() -> None:
    text = "FROM debian\nENV A=1 DEBIAN_FRONTEND=noninteractive\n"
    assert fixed(DebianFrontendInEnv, text) == text
    assert fixed(DebianFrontendInEnv, "from debian\nenv DEBIAN_FRONTEND noninteractive\n") == (
        "from debian\narg DEBIAN_FRONTEND=noninteractive\n"
    )


@pytest.mark.parametrize(
    ("value", "ok"), [("30s", True), ("0", True), ("1.5h", True), ("30", False), ("s", False)]
)
def test_valid_duration(value: str, ok: bool) -> None:
    assert valid_duration(value) is ok


@pytest.mark.parametrize(("path", "hit"), [("a/id_ed25519", True), ("x.PEM", True), ("readme.md", False)])
def test_secret_file(path: str, hit: bool) -> None:
    assert (secret_file(path) is not None) is hit


@pytest.mark.parametrize(
    "name", ["chap-secrets", "pap-secrets", "ipsec.secrets", "shadow", ".htpasswd", "krb5.keytab", "app.jks"]
)
def test_more_credential_files(name: str) -> None:
    assert lines(run(SecretFileCopied, f"FROM a\nCOPY {name} /etc/x/\n")) == [2]
