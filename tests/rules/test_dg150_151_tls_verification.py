from __future__ import annotations

import pytest
from _helpers_b import lines, run
from dockgen_rules.dg150_tls_verification_disabled import TlsVerificationDisabled
from dockgen_rules.dg151_tls_verification_disabled_by_variable import TlsVerificationDisabledByVariable

from dockgen.lint.rule import Rule

RUN_CATCHES = [
    "curl -k https://x",
    "curl -fsSLk https://x -o /tmp/x",
    "curl --insecure https://x",
    "wget --no-check-certificate https://x",
    "pip install --trusted-host pypi.internal -r req.txt",
    "python3 -m pip install --trusted-host=pypi.internal x",
    "pip config set global.trusted-host pypi.internal",
    "uv pip install --allow-insecure-host pypi.internal x",
    "npm config set strict-ssl false",
    "npm install --strict-ssl=false",
    "yarn config set strict-ssl false",
    "git -c http.sslVerify=false clone https://x/r.git",
    "git config --global http.sslverify false",
    "GIT_SSL_NO_VERIFY=1 git clone https://x/r.git",
    "export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci",
    "PYTHONHTTPSVERIFY=0 python fetch.py",
    "yum install -y --setopt=sslverify=0 httpd",
    "echo 'sslverify=false' >> /etc/yum.conf",
    "printf '[main]\\nsslverify=0\\n' > /etc/dnf/dnf.conf",
    "apt-get -o Acquire::https::Verify-Peer=false update",
    "conda config --set ssl_verify false",
]
RUN_CLEAN = [
    "curl -fsSL https://x -o /tmp/x",
    "curl -H 'X-k: 1' https://x",
    "wget -q https://x",
    "pip install --index-url https://pypi.internal/simple x",
    "npm config set strict-ssl true",
    "git config --global http.sslVerify true",
    "apt-get install -y ca-certificates",
    "echo insecure > /tmp/notes",
    "export PYTHONHTTPSVERIFY=1",
    "echo nosslverify=0 > /tmp/x",
]


@pytest.mark.parametrize("command", RUN_CATCHES)
def test_run_catches(command: str) -> None:
    assert lines(run(TlsVerificationDisabled, f"FROM a\nRUN {command}\n")) == [2]


@pytest.mark.parametrize("command", RUN_CLEAN)
def test_run_does_not_catch(command: str) -> None:
    assert run(TlsVerificationDisabled, f"FROM a\nRUN {command}\n") == []


def test_run_heredoc_and_onbuild() -> None:
    text = "FROM a\nRUN <<EOF\ncurl -k https://x\nEOF\nONBUILD RUN wget --no-check-certificate https://x\n"
    assert lines(run(TlsVerificationDisabled, text)) == [2, 5]


VAR_CATCHES = [
    pytest.param("ENV GIT_SSL_NO_VERIFY=true", id="git"),
    pytest.param("ENV GIT_SSL_NO_VERIFY 1", id="git-legacy"),
    pytest.param("ENV PYTHONHTTPSVERIFY=0", id="python"),
    pytest.param("ENV NODE_TLS_REJECT_UNAUTHORIZED=0", id="node"),
    pytest.param('ENV NODE_TLS_REJECT_UNAUTHORIZED="0"', id="node-quoted"),
    pytest.param("ENV npm_config_strict_ssl=false", id="npm-lower"),
    pytest.param("ARG PIP_TRUSTED_HOST=pypi.internal", id="pip-arg"),
    pytest.param('ENV REQUESTS_CA_BUNDLE=""', id="empty-ca-bundle"),
    pytest.param("ENV A=1 PYTHONHTTPSVERIFY=false", id="second-pair"),
]
VAR_CLEAN = [
    pytest.param("ENV PYTHONHTTPSVERIFY=1", id="python-on"),
    pytest.param("ENV NODE_TLS_REJECT_UNAUTHORIZED=1", id="node-on"),
    pytest.param("ARG PIP_TRUSTED_HOST", id="arg-without-default"),
    pytest.param("ENV NODE_EXTRA_CA_CERTS=/ca.crt", id="extra-ca"),
    pytest.param("ENV REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt", id="ca-bundle"),
    pytest.param("LABEL GIT_SSL_NO_VERIFY=1", id="label"),
]


@pytest.mark.parametrize("line", VAR_CATCHES)
def test_variable_catches(line: str) -> None:
    assert lines(run(TlsVerificationDisabledByVariable, f"FROM a\n{line}\n")) == [2]


@pytest.mark.parametrize("line", VAR_CLEAN)
def test_variable_does_not_catch(line: str) -> None:
    assert run(TlsVerificationDisabledByVariable, f"FROM a\n{line}\n") == []


@pytest.mark.parametrize("rule", [TlsVerificationDisabled, TlsVerificationDisabledByVariable])
def test_rules_do_not_overlap(rule: type[Rule]) -> None:
    other = (
        "RUN curl -k https://x" if rule is TlsVerificationDisabledByVariable else "ENV PYTHONHTTPSVERIFY=0"
    )
    assert run(rule, f"FROM a\n{other}\n") == []
