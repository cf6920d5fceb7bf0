from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg116_literal_secret import LiteralSecret

# Assembled at runtime so that the test file itself does not look like it holds credentials.
GH = "ghp_" + "a1B2c3D4e5F6g7H8i9J0" * 2
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----"
SLACK = "xoxb-" + "123456789012-abcdefghij"

CATCHES = [
    pytest.param(f"FROM alpine\nENV AWS_ACCESS_KEY_ID={AWS}\n", [2], AWS, id="aws-env"),
    pytest.param(f"FROM alpine\nARG TOKEN={GH}\n", [2], GH, id="github-arg"),
    pytest.param(f"FROM alpine\nLABEL ci.token={SLACK}\n", [2], SLACK, id="slack-label"),
    pytest.param(f"FROM alpine\nRUN git clone https://x:{GH}@github.com/o/r\n", [2], GH, id="run-url"),
    pytest.param(
        f"FROM alpine\nCOPY <<EOF /root/.ssh/id_rsa\n{PEM}\nMIIE\nEOF\n", [2], "MIIE", id="heredoc-key"
    ),
    pytest.param(
        "FROM alpine\nRUN pip install --index-url https://ci:hunter22@pypi.example.com/simple x\n",
        [2],
        "hunter22",
        id="password-in-url",
    ),
    pytest.param(f"FROM alpine\nONBUILD RUN echo {AWS}\n", [2], AWS, id="onbuild"),
]
CLEAN = [
    pytest.param(
        "FROM alpine\nRUN git clone https://oauth2:${GITLAB_TOKEN}@gitlab.com/o/r\n", id="url-variable"
    ),
    pytest.param("FROM alpine\nRUN curl -fsSL https://example.com/install.sh -o /tmp/i.sh\n", id="plain-url"),
    pytest.param("FROM alpine\nENV KEY_URL=https://keys.example.com/pub.asc\n", id="public-key-url"),
    pytest.param("FROM alpine\nRUN echo '-----BEGIN PUBLIC KEY-----' > /k\n", id="public-key"),
    pytest.param("FROM alpine\nENV ID=AKIA123\n", id="too-short"),
    pytest.param("FROM alpine\nRUN pip install 'pkg @ git+https://github.com/o/r@v1'\n", id="at-in-url-path"),
]


@pytest.mark.parametrize(("text", "expected", "secret"), CATCHES)
def test_catches_without_echoing(text: str, expected: list[int], secret: str) -> None:
    found = run(LiteralSecret, text)
    assert lines(found) == expected
    assert secret not in found[0].message


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(LiteralSecret, text) == []
