from __future__ import annotations

import pytest
from _helpers import lines, only_replacement, run
from dockgen_rules.dg125_expose_port_out_of_range import ExposePortOutOfRange
from dockgen_rules.dg126_expose_ssh_port import ExposeSshPort
from dockgen_rules.dg127_expose_invalid_format import ExposeInvalidFormat
from dockgen_rules.dg128_expose_protocol_casing import ExposeProtocolCasing

from dockgen.lint.rule import Rule

CATCHES = [
    pytest.param(ExposePortOutOfRange, "FROM a\nEXPOSE 80800\n", [2], id="range-high"),
    pytest.param(ExposePortOutOfRange, "FROM a\nEXPOSE 8000-70000/tcp\n", [2], id="range-bound"),
    pytest.param(ExposeSshPort, "FROM a\nEXPOSE 22\n", [2], id="ssh"),
    pytest.param(ExposeSshPort, "FROM a\nEXPOSE 80 22/tcp\n", [2], id="ssh-tcp"),
    pytest.param(ExposeSshPort, "FROM a\nEXPOSE 20-30\n", [2], id="ssh-in-range"),
    pytest.param(ExposeInvalidFormat, "FROM a\nEXPOSE 8080:80\n", [2], id="mapping"),
    pytest.param(ExposeInvalidFormat, "FROM a\nEXPOSE 127.0.0.1:8080:80/tcp\n", [2], id="ip"),
    pytest.param(ExposeProtocolCasing, "FROM a\nEXPOSE 80/TCP\n", [2], id="upper"),
    pytest.param(ExposeProtocolCasing, "FROM a\nEXPOSE 53/Udp\n", [2], id="mixed"),
]
CLEAN = [
    pytest.param(ExposePortOutOfRange, "FROM a\nEXPOSE 65535 0\n", id="bounds"),
    pytest.param(ExposePortOutOfRange, "FROM a\nEXPOSE ${PORT}\n", id="variable"),
    pytest.param(ExposeSshPort, "FROM a\nEXPOSE 2222 220\n", id="not-22"),
    pytest.param(ExposeSshPort, "FROM a\nEXPOSE 22/udp\n", id="udp-22"),
    pytest.param(ExposeInvalidFormat, "FROM a\nEXPOSE 80/tcp 443\n", id="plain"),
    pytest.param(ExposeInvalidFormat, "FROM a\nEXPOSE ${HOST}:${PORT}\n", id="variables"),
    pytest.param(ExposeProtocolCasing, "FROM a\nEXPOSE 80/tcp 53\n", id="lower"),
    pytest.param(ExposeProtocolCasing, "FROM a\nEXPOSE ${PORT}/TCP\n", id="variable-left-alone"),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CATCHES)
def test_catches(rule: type[Rule], text: str, expected: list[int]) -> None:
    assert lines(run(rule, text)) == expected


@pytest.mark.parametrize(("rule", "text"), CLEAN)
def test_does_not_catch(rule: type[Rule], text: str) -> None:
    assert run(rule, text) == []


@pytest.mark.parametrize(
    ("rule", "text", "args"),
    [
        pytest.param(
            ExposeInvalidFormat, "FROM a\nEXPOSE 443 8080:80/tcp\n", ("443", "80/tcp"), id="mapping"
        ),
        pytest.param(ExposeProtocolCasing, "FROM a\nEXPOSE 80/TCP 53\n", ("80/tcp", "53"), id="casing"),
    ],
)
def test_fix(rule: type[Rule], text: str, args: tuple[str, ...]) -> None:
    (finding,) = run(rule, text)
    (new,) = only_replacement(finding)
    assert new.args == args


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('FROM debian:bookworm\nEXPOSE 22\nCMD ["/usr/sbin/sshd", "-D"]\n', id="sshd"),
        pytest.param('FROM alpine\nEXPOSE 22\nENTRYPOINT ["dropbear", "-F"]\n', id="dropbear"),
        pytest.param("FROM gitea/gitea:1.22\nEXPOSE 22 3000\n", id="ssh-serving-base"),
    ],
)
def test_ssh_images_may_expose_22(text: str) -> None:
    assert run(ExposeSshPort, text) == []
