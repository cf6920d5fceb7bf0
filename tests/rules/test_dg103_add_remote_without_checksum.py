from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg103_add_remote_without_checksum import AddRemoteWithoutChecksum

CATCHES = [
    pytest.param("FROM alpine\nADD https://example.com/t.tgz /opt/\n", [2], id="https"),
    pytest.param("FROM alpine\nADD http://example.com/x /opt/x\n", [2], id="http"),
    pytest.param("FROM alpine\nADD --chmod=755 https://e.com/bin /usr/local/bin/x\n", [2], id="other-flags"),
]
CLEAN = [
    pytest.param("FROM alpine\nADD --checksum=sha256:0a https://e.com/t.tgz /opt/\n", id="checksum"),
    pytest.param("FROM alpine\nADD https://github.com/moby/buildkit.git#v0.12 /src\n", id="git-url"),
    pytest.param("FROM alpine\nADD rootfs.tar /\n", id="local"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(AddRemoteWithoutChecksum, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(AddRemoteWithoutChecksum, text) == []


def test_add_of_a_variable_whose_default_is_a_url() -> None:
    text = "FROM a\nARG URL=https://example.com/tool.tar.gz\nADD $URL /opt/\nADD ${URL} /srv/\n"
    assert lines(run(AddRemoteWithoutChecksum, text)) == [3, 4]


def test_add_of_a_variable_whose_default_is_a_local_path() -> None:
    assert run(AddRemoteWithoutChecksum, "FROM a\nARG SRC=dist/app.tar.gz\nADD $SRC /opt/\n") == []
