from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg135_invalid_label_key import InvalidLabelKey

CATCHES = [
    pytest.param("FROM a\nLABEL Version=1\n", [2], id="upper-case"),
    pytest.param("FROM a\nLABEL build_date=x\n", [2], id="underscore"),
    pytest.param("FROM a\nLABEL com.docker.x=1\n", [2], id="reserved"),
    pytest.param("FROM a\nLABEL org..x=1\n", [2], id="double-dot"),
    pytest.param("FROM a\nLABEL x-=1\n", [2], id="trailing-dash"),
    pytest.param("FROM a\nLABEL 1x=1\n", [2], id="leading-digit"),
    pytest.param('FROM a\nLABEL "Bad Key"=1\n', [2], id="quoted"),
    pytest.param("FROM a\nLABEL ok=1 Bad=2\n", [2], id="second-pair"),
]
CLEAN = [
    pytest.param("FROM a\nLABEL org.opencontainers.image.source=https://x\n", id="oci"),
    pytest.param('FROM a\nLABEL "com.example.vendor"="ACME"\n', id="quoted-valid"),
    pytest.param("FROM a\nLABEL maintainer=me version=1\n", id="simple"),
    pytest.param("FROM a\nLABEL ${PREFIX}.x=1\n", id="variable"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(InvalidLabelKey, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(InvalidLabelKey, text) == []
