from __future__ import annotations

import pytest
from _helpers_b import fixed, lines, run
from dockgen_rules.dg159_pipe_without_pipefail import PipeWithoutPipefail

CATCHES = [
    pytest.param("FROM a\nRUN curl x | sh\n", [2], id="pipe"),
    pytest.param("FROM a\nRUN a | b\nRUN c | d\n", [2, 3], id="two"),
    pytest.param("FROM a\nRUN a | b && set -o pipefail\n", [2], id="set-after-pipe"),
    pytest.param("FROM a\nRUN <<EOF\ncurl x | tar -x\nEOF\n", [2], id="heredoc"),
    pytest.param(
        'FROM a AS b\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM a\nRUN a | b\n', [4], id="other-stage"
    ),
    pytest.param('FROM a\nSHELL ["/bin/bash", "-c"]\nRUN a | b\n', [3], id="bash-without-pipefail"),
]
CLEAN = [
    pytest.param("FROM a\nRUN set -o pipefail && curl x | sh\n", id="set-o"),
    pytest.param("FROM a\nRUN set -euo pipefail; a | b\n", id="set-euo"),
    pytest.param('FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n', id="shell"),
    pytest.param(
        'FROM a AS b\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nFROM b\nRUN a | b\n', id="inherited-shell"
    ),
    pytest.param('FROM a\nSHELL ["pwsh", "-Command"]\nRUN a | b\n', id="powershell"),
    pytest.param("FROM a\nRUN a || b\n", id="or"),
    pytest.param("FROM a\nRUN echo 'a | b'\n", id="quoted-pipe"),
    pytest.param('FROM a\nRUN ["sh", "-c", "a | b"]\n', id="exec-form"),
    pytest.param("FROM a\nRUN python3 <<EOF\nprint('a' | 'b')\nEOF\n", id="python-heredoc"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(PipeWithoutPipefail, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(PipeWithoutPipefail, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "FROM debian\nRUN a | b\nRUN c | d\n",
            'FROM debian\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nRUN c | d\n',
            id="once-per-stage",
        ),
        pytest.param(
            "FROM alpine:3.20\nRUN a | b\n",
            'FROM alpine:3.20\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN a | b\n',
            id="alpine-ash",
        ),
    ],
)
def test_fix(text: str, expected: str) -> None:
    assert fixed(PipeWithoutPipefail, text) == expected
    assert fixed(PipeWithoutPipefail, text, unsafe=False) == text
