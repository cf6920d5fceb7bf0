from __future__ import annotations

import pytest
from _helpers_b import fixed, lines, run
from dockgen_rules.dg160_cd_in_run import CdInRun
from dockgen_rules.dg161_wget_and_curl import WgetAndCurl
from dockgen_rules.dg162_wget_without_progress import WgetWithoutProgress

from dockgen.lint.rule import Rule

CATCHES = [
    pytest.param(CdInRun, "FROM a\nRUN cd /src && make\n", [2], id="cd"),
    pytest.param(CdInRun, "FROM a\nRUN (cd /src && make)\n", [2], id="cd-subshell"),
    pytest.param(WgetAndCurl, "FROM a\nRUN curl -o x u\nRUN wget u\n", [3], id="curl-then-wget"),
    pytest.param(WgetAndCurl, "FROM a\nRUN wget u && curl u\n", [2], id="same-run"),
    pytest.param(WgetAndCurl, "FROM a AS b\nRUN curl u\nFROM b\nRUN wget u\n", [4], id="inherited"),
    pytest.param(WgetWithoutProgress, "FROM a\nRUN wget https://x\n", [2], id="wget"),
    pytest.param(WgetWithoutProgress, "FROM a\nRUN cd /tmp && wget -O x https://x\n", [2], id="wget-O"),
]
CLEAN = [
    pytest.param(CdInRun, "FROM a\nWORKDIR /src\nRUN make\n", id="workdir"),
    pytest.param(CdInRun, "FROM a\nRUN echo cd\n", id="word-cd"),
    pytest.param(WgetAndCurl, "FROM a\nRUN curl u\nRUN curl v\n", id="curl-only"),
    pytest.param(WgetAndCurl, "FROM a AS b\nRUN wget u\nFROM a\nRUN curl u\n", id="separate-images"),
    pytest.param(WgetAndCurl, "FROM a\nRUN apt-get install -y curl wget\n", id="installing-both"),
    pytest.param(WgetWithoutProgress, "FROM a\nRUN wget -q https://x\n", id="quiet"),
    pytest.param(WgetWithoutProgress, "FROM a\nRUN wget --progress=dot:giga https://x\n", id="progress"),
    pytest.param(WgetWithoutProgress, "FROM a\nRUN wget -nv https://x\n", id="no-verbose"),
    pytest.param(WgetWithoutProgress, "FROM a\nRUN wget -qO- https://x | tar -x\n", id="cluster"),
    pytest.param(WgetWithoutProgress, "FROM a\nRUN curl -fsSL https://x\n", id="curl"),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CATCHES)
def test_catches(rule: type[Rule], text: str, expected: list[int]) -> None:
    assert lines(run(rule, text)) == expected


@pytest.mark.parametrize(("rule", "text"), CLEAN)
def test_does_not_catch(rule: type[Rule], text: str) -> None:
    assert run(rule, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "FROM debian\nRUN wget -O /x https://x && wget https://y\n",
            "FROM debian\nRUN wget --progress=dot:giga -O /x https://x && wget --progress=dot:giga https://y\n",
            id="two",
        ),
        pytest.param(
            "FROM alpine:3.20\nRUN wget https://x\n", "FROM alpine:3.20\nRUN wget -q https://x\n", id="alpine"
        ),
        pytest.param(
            "FROM debian\nRUN set -e; \\\n  wget \\\n    https://x\n",
            "FROM debian\nRUN set -e; \\\n  wget --progress=dot:giga \\\n    https://x\n",
            id="keeps-layout",
        ),
    ],
)
def test_wget_fix(text: str, expected: str) -> None:
    assert fixed(WgetWithoutProgress, text) == expected
