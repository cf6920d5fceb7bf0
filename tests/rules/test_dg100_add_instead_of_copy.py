from __future__ import annotations

import pytest
from _helpers import lines, only_replacement, run
from dockgen_rules.dg100_add_instead_of_copy import AddInsteadOfCopy

CATCHES = [
    pytest.param("FROM alpine\nADD app.py /app/\n", [2], id="local-file"),
    pytest.param("FROM alpine\nADD src/ /app/src/\n", [2], id="local-dir"),
    pytest.param("FROM alpine\nADD --chown=1000:1000 a b /app/\n", [2], id="with-chown"),
    pytest.param('FROM alpine\nADD ["app.py", "/app/"]\n', [2], id="json-form"),
    pytest.param("FROM alpine\nONBUILD ADD . /app/\n", [2], id="onbuild"),
    pytest.param("FROM alpine\nADD <<EOF /etc/motd\nhello\nEOF\n", [2], id="heredoc"),
]
CLEAN = [
    pytest.param("FROM alpine\nCOPY app.py /app/\n", id="copy"),
    pytest.param("FROM alpine\nADD https://example.com/x.tar.gz /opt/\n", id="url"),
    pytest.param("FROM alpine\nADD git@github.com:org/repo.git /src\n", id="git-ssh"),
    pytest.param("FROM alpine\nADD rootfs.tar.gz /\n", id="archive"),
    pytest.param("FROM alpine\nADD vendor.TGZ /opt/\n", id="archive-upper-case"),
    pytest.param("FROM alpine\nADD --checksum=sha256:abc x /opt/\n", id="add-only-flag"),
    pytest.param("FROM alpine\nADD --keep-git-dir=true https://github.com/o/r.git /src\n", id="keep-git-dir"),
    pytest.param("FROM alpine\nADD $SOURCE /opt/\n", id="variable-source"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(AddInsteadOfCopy, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(AddInsteadOfCopy, text) == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        pytest.param("FROM alpine\nADD a /b\n", "COPY", id="upper"),
        pytest.param("from alpine\nadd a /b\n", "copy", id="lower-keeps-casing"),
    ],
)
def test_fix_turns_add_into_copy(text: str, written: str) -> None:
    (finding,) = run(AddInsteadOfCopy, text)
    (new,) = only_replacement(finding)
    assert (new.keyword, new.original, new.args) == ("COPY", written, ("a", "/b"))
    assert finding.fix is not None and finding.fix.safe
